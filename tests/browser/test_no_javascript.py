"""Journeys with JavaScript disabled (DESIGN.md §6): every form can be completed without it.

The ``no_js_context`` fixture gives a browser context with JavaScript off; the journey
"sign up, confirm, sign in, create an association" extends this file once accounts and
organisations are merged.
"""

from tests.factories import UserFactory


def test_signs_in_with_password_without_javascript(live_server, no_js_context):
    user = UserFactory(email="benevole@example.org")
    page = no_js_context().new_page()
    page.set_content("<title>off</title><script>document.title = 'on'</script>")
    assert page.title() == "off", "JavaScript is not disabled"
    page.goto(live_server.url + "/compte/connexion/")

    page.get_by_label("Adresse e-mail").fill("benevole@example.org")
    page.get_by_label("Mot de passe").fill("motdepasse-solide-42")
    page.get_by_role("button", name="Se connecter").click()

    page.wait_for_url(live_server.url + "/compte/")
    assert page.get_by_role("heading", level=1).inner_text() == "Mon compte"
    assert user.email in page.locator("main").inner_text()


def test_wrong_password_shows_an_error_next_to_the_form_without_javascript(
    live_server, no_js_context
):
    UserFactory(email="benevole@example.org")
    page = no_js_context().new_page()
    page.goto(live_server.url + "/compte/connexion/")
    page.get_by_label("Adresse e-mail").fill("benevole@example.org")
    page.get_by_label("Mot de passe").fill("pas-le-bon-mot-de-passe")
    page.get_by_role("button", name="Se connecter").click()

    page.wait_for_load_state()
    assert page.url == live_server.url + "/compte/connexion/"
    assert page.get_by_label("Adresse e-mail").input_value() == "benevole@example.org"
    assert page.locator(".alert-error, .errorlist, .errors").count() >= 1
