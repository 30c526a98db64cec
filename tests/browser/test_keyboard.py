"""Keyboard and small screens on every page of pages.PAGES: the skip link comes first and
leads to the content, every focused link or button shows its focus, nothing scrolls
sideways at 320 px (WCAG 2.4.1, 2.4.7, 1.4.10)."""

import pytest

from .pages import PAGES

NARROW = {"width": 320, "height": 640}

FOCUSED_JS = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const style = getComputedStyle(el);
    const rect = el.getBoundingClientRect();
    return {
        tag: el.tagName.toLowerCase(),
        id: el.id,
        cls: el.className,
        text: (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 40),
        html: el.outerHTML.slice(0, 120),
        outlineStyle: style.outlineStyle,
        outlineWidth: parseFloat(style.outlineWidth) || 0,
        boxShadow: style.boxShadow,
        visible: rect.width > 0 && rect.height > 0 && rect.bottom > 0
            && rect.top < window.innerHeight && rect.right > 0 && rect.left < window.innerWidth,
    };
}"""

OVERFLOWING_JS = """() => {
    const limit = document.scrollingElement.clientWidth;
    return Array.from(document.body.querySelectorAll('*'))
        .filter(el => el.getBoundingClientRect().right > limit + 0.5)
        .slice(0, 10)
        .map(el => el.outerHTML.slice(0, 120));
}"""


def _open(spec, open_page, new_context, viewport=None):
    url, user = open_page(spec)
    page = new_context(user=user, viewport=viewport).new_page()
    page.goto(url)
    return page


@pytest.mark.parametrize("spec", PAGES, ids=str)
def test_skip_link_is_first_and_moves_focus_to_main(spec, open_page, new_context):
    page = _open(spec, open_page, new_context)
    page.keyboard.press("Tab")
    first = page.evaluate(FOCUSED_JS)
    assert first and "skip-link" in first["cls"], f"first focusable element: {first}"
    assert first["visible"], "the skip link stays off screen when focused"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "contenu"
    assert page.evaluate("() => document.activeElement.tagName") == "MAIN"


@pytest.mark.parametrize("spec", PAGES, ids=str)
def test_focus_is_visible_on_every_focusable_element(spec, open_page, new_context):
    page = _open(spec, open_page, new_context)
    problems, seen = [], []
    for _ in range(200):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED_JS)
        if focused is None or focused["html"] in seen[:1]:
            break  # back to the start of the page
        seen.append(focused["html"])
        outlined = focused["outlineStyle"] != "none" and focused["outlineWidth"] >= 2
        shadowed = focused["boxShadow"] not in ("", "none")
        if not (outlined or shadowed):
            problems.append(f"no visible focus indicator: {focused['html']}")
        if not focused["visible"]:
            problems.append(f"focused element off screen: {focused['html']}")
    assert len(seen) >= 2, f"only {len(seen)} focusable element(s) reached with Tab"
    assert any(html.startswith("<button") or "<a " in html for html in seen)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("spec", PAGES, ids=str)
def test_no_horizontal_scroll_at_320px(spec, open_page, new_context):
    page = _open(spec, open_page, new_context, viewport=NARROW)
    widths = page.evaluate(
        "() => [document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]"
    )
    assert widths[0] <= widths[1], (
        f"page {widths[0]} px wide in a {widths[1]} px window; overflowing elements:\n"
        + "\n".join(page.evaluate(OVERFLOWING_JS))
    )
