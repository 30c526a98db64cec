from ressourcerie.core.markdown import render_markdown


def test_scripts_styles_and_handlers_are_removed():
    html = render_markdown(
        '<script>alert(1)</script><p onclick="x()" style="color:red">Bonjour</p>'
        "[lien](javascript:alert(1)) <iframe src=x></iframe>"
    )
    assert "<script" not in html and "onclick" not in html and "style=" not in html
    assert "javascript:" not in html and "<iframe" not in html
    assert "Bonjour" in html


def test_markdown_is_rendered_with_safe_links_and_no_h1():
    html = render_markdown("# Titre\n\n- un\n- deux\n\n[site](https://exemple.org)")
    assert "<h2>Titre</h2>" in html and "<h1>" not in html
    assert "<li>un</li>" in html
    assert 'rel="nofollow noopener noreferrer"' in html


def test_images_only_where_allowed():
    text = "![Un chat](https://exemple.org/chat.png)"
    assert "<img" not in render_markdown(text)
    assert 'alt="Un chat"' in render_markdown(text, allow_images=True)
