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


def test_signs_up_confirms_signs_in_and_registers_an_association_without_javascript(
    live_server, no_js_context, mailoutbox
):
    """The foundation's main journey, JavaScript off, as a new volunteer would do it."""
    import re

    from ressourcerie.accounts.models import Membership
    from ressourcerie.core.models import Organisation
    from tests.factories import CommuneFactory

    CommuneFactory()  # Nantes (44109)
    page = no_js_context().new_page()
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Créer un compte").first.click()

    page.get_by_label("Adresse e-mail").fill("nouvelle@example.org")
    page.get_by_label("Nom affiché").fill("Camille")
    page.get_by_label(re.compile(r"^Mot de passe")).fill("un-mot-de-passe-solide")
    page.get_by_label("Confirmation du mot de passe").fill("un-mot-de-passe-solide")
    page.get_by_role("button", name="Créer mon compte").click()
    page.wait_for_load_state()
    assert "/compte/inscription/envoyee/" in page.url

    message = next(m for m in mailoutbox if "nouvelle@example.org" in m.to)
    link = re.search(r"https?://\S+/compte/confirmer/\S+/", message.body).group(0)
    page.goto(live_server.url + link[link.index("/compte/") :])
    page.get_by_role("button", name="Confirmer mon adresse").click()
    page.wait_for_load_state()

    # Confirmation signs in; sign out and back in with the password, as on another day.
    page.goto(live_server.url + "/compte/")
    page.get_by_role("button", name="Se déconnecter").click()
    page.goto(live_server.url + "/compte/connexion/")
    page.get_by_label("Adresse e-mail").fill("nouvelle@example.org")
    page.get_by_label("Mot de passe").fill("un-mot-de-passe-solide")
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(live_server.url + "/compte/")

    page.goto(live_server.url + "/associations/inscrire/")
    page.get_by_label("Nom de l'association").fill("Les Amis du Jardin")
    page.get_by_label("Numéro RNA").fill("W442001234")
    page.get_by_label("Commune").fill("44000")
    page.get_by_role("button", name="Inscrire l'association").click()
    page.wait_for_load_state()

    organisation = Organisation.objects.get(name="Les Amis du Jardin")
    assert organisation.commune.insee == "44109"
    assert page.url.endswith(f"/associations/{organisation.slug}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Les Amis du Jardin"
    assert Membership.objects.filter(
        user__email="nouvelle@example.org", organisation=organisation
    ).exists()
