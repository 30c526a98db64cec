"""Journeys without dead ends (issue 18), accounts and core's part, in a browser with
JavaScript off, as each person would do it:

- "I want computers for my association": the computer request page → sign in or create an
  account (what they wanted is kept) → the confirmation link → a page that says they have no
  association and offers to register it → registration → back on the request page, which
  says the association awaits the team's check, since when and what the team checks → a
  moderator sees it counted on /gestion/, verifies it from "Associations à vérifier" with its
  checklist → the member is e-mailed, opens the request page and sends the request;
- a moderator reviews a proposed tool inside the platform (never the Django admin) and asks
  for changes; its author edits and resubmits it from "Mes contributions";
- the small things: the home page title, the contact page, the legal notice.

(axe cannot run without JavaScript: the pages are checked by test_pages.)"""

import re

import pytest
from django.core import mail
from django.utils import timezone

from ressourcerie.accounts.models import Membership, Role, User
from ressourcerie.core import moderation
from ressourcerie.core.models import ModerationStatus, Organisation
from ressourcerie.donations.models import DeviceRequest
from ressourcerie.toolbox.models import Price, Tool
from tests.factories import CommuneFactory, UserFactory

pytestmark = pytest.mark.browser


def _main(page) -> str:
    return page.locator("main").inner_text()


def _moderator():
    user = UserFactory(email="equipe@example.org", display_name="Morgane")
    Membership.objects.create(user=user, organisation=None, role=Role.MODERATOR)
    return user


def test_from_wanting_computers_to_a_request_sent_without_a_dead_end(live_server, no_js_context):
    CommuneFactory()  # Nantes
    moderator = _moderator()
    volunteer = no_js_context().new_page()
    volunteer.set_content("<title>off</title><script>document.title = 'on'</script>")
    assert volunteer.title() == "off", "JavaScript is not disabled"

    # 1. The volunteer wants computers; they have no account yet.
    volunteer.goto(live_server.url + "/dons/")
    volunteer.get_by_role("link", name="Demander des ordinateurs").click()
    assert "/compte/connexion/" in volunteer.url
    volunteer.get_by_role("link", name="Créer un compte").click()
    volunteer.get_by_label("Adresse e-mail").fill("awa@asso.example.org")
    volunteer.get_by_label("Nom affiché").fill("Awa")
    volunteer.get_by_label(re.compile(r"^Mot de passe")).fill("un-mot-de-passe-solide-42")
    volunteer.get_by_label("Confirmation du mot de passe").fill("un-mot-de-passe-solide-42")
    volunteer.get_by_role("button", name="Créer mon compte").click()
    assert "Vérifiez votre boîte de réception" in _main(volunteer)
    (confirmation,) = [m for m in mail.outbox if "awa@asso.example.org" in m.to]
    confirm_path = re.search(r"/compte/confirmer/[^\s/]+/", confirmation.body).group(0)
    volunteer.goto(live_server.url + confirm_path)
    volunteer.get_by_role("button", name="Confirmer mon adresse").click()

    # 2. Back where they wanted to go: the page says why not yet, and what to do.
    assert volunteer.url.endswith("/dons/demande/"), volunteer.url
    text = _main(volunteer)
    assert "Cette démarche est réservée aux associations vérifiées" in text
    assert "Accès refusé" not in text and "demandez à un administrateur" not in text
    volunteer.get_by_role("link", name="Inscrire votre association").click()
    volunteer.get_by_label("Nom de l'association").fill("Les Pédales nantaises")
    volunteer.get_by_label("Numéro RNA").fill("W442009999")
    volunteer.get_by_label("Commune").fill("Nantes")
    volunteer.get_by_label("Site web").fill("https://pedales.example.org")
    volunteer.get_by_role("button", name="Inscrire l'association").click()

    # 3. Back on the request page: the association awaits the team, since today.
    assert volunteer.url.endswith("/dons/demande/"), volunteer.url
    text = _main(volunteer)
    assert "Votre association est en attente de vérification" in text
    assert timezone.localdate().strftime("%Y") in text and "jours ouvrés" in text
    assert "le numéro RNA ou SIREN" in text
    assert text.count("L'association est inscrite.") == 1

    # 4. A moderator sees it counted on the team's home and verifies it in one click.
    team = no_js_context(user=moderator).new_page()
    team.goto(live_server.url + "/gestion/")
    card = team.locator("li.card", has_text="Associations à vérifier")
    assert "1 en attente" in card.inner_text()
    card.get_by_role("link", name="Associations à vérifier").click()
    item = team.locator("article", has_text="Les Pédales nantaises")
    assert "Numéro RNA : oui" in item.inner_text()
    assert "Adresse e-mail d'un membre confirmée : oui" in item.inner_text()
    assert "pedales.example.org" in item.inner_text()
    item.get_by_role("button", name=re.compile("^Vérifier l'association")).click()
    assert _main(team).count("« Les Pédales nantaises » est vérifiée") == 1
    assert "Rien en attente." in _main(team)
    told = [m for m in mail.outbox if "awa@asso.example.org" in m.to and "vérifiée" in m.subject]
    assert len(told) == 1

    # 5. The volunteer sends the request.
    volunteer.goto(live_server.url + "/dons/demande/")
    volunteer.get_by_label("Type d'appareil").select_option(label="Ordinateur portable")
    volunteer.get_by_label("Quantité").fill("3")
    volunteer.get_by_label("Usage prévu").fill("Tenir la comptabilité et les adhésions.")
    volunteer.get_by_label("Qui en bénéficiera").fill("Les 12 bénévoles de l'atelier.")
    volunteer.get_by_label(re.compile(r"^Pourquoi c'est prioritaire")).fill("Nos PC ont 12 ans.")
    volunteer.get_by_label("E-mail de contact").fill("awa@asso.example.org")
    volunteer.get_by_role("button", name=re.compile("Envoyer|Déposer")).click()
    assert _main(volunteer).count("Votre demande est déposée") == 1, _main(volunteer)
    organisation = Organisation.objects.get(name="Les Pédales nantaises")
    assert DeviceRequest.objects.filter(organisation=organisation, quantity=3).exists()


def test_team_page_refusal_says_which_role_and_how_to_ask(live_server, no_js_context):
    page = no_js_context(user=UserFactory()).new_page()
    response = page.goto(live_server.url + "/gestion/")
    assert response.status == 403
    text = _main(page)
    assert "Page réservée à l'équipe de la plateforme" in text
    assert "Les administrateurs de la plateforme." in text
    page.get_by_role("link", name="Écrire à l'équipe de la plateforme").click()
    assert page.url.endswith("/contact/")


def test_moderator_reviews_a_tool_inside_the_platform_and_the_author_resubmits(
    live_server, no_js_context
):
    moderator = _moderator()
    author = UserFactory(email="auteur@example.org")
    tool = moderation.submit(
        obj=Tool(
            name="Carnet libre",
            slug="carnet-libre",
            pitch="Des notes partagées.",
            licence="MIT",
            price=Price.FREE,
            website="https://carnet.example.org",
        ),
        by=author,
    )
    team = no_js_context(user=moderator).new_page()
    team.goto(live_server.url + "/gestion/moderation/")
    team.get_by_role("link", name=re.compile("lire la proposition")).click()
    assert "/gestion/admin/" not in team.url
    text = _main(team)
    assert "Carnet libre" in text and "https://carnet.example.org" in text
    team.get_by_label("Demander des modifications").check()
    team.get_by_label("Motif").fill("Précisez la licence exacte.")
    team.get_by_role("button", name="Enregistrer la décision").click()
    assert _main(team).count("Décision enregistrée") == 1

    writer = no_js_context(user=author).new_page()
    writer.goto(live_server.url + "/compte/contributions/")
    assert "Précisez la licence exacte." in _main(writer)
    writer.get_by_role("link", name=re.compile("Modifier et renvoyer")).click()
    writer.get_by_label(re.compile(r"^En une phrase")).fill(
        "Des notes partagées, sous licence MIT."
    )
    writer.get_by_role("button", name="Renvoyer à l'équipe").click()
    assert _main(writer).count("Votre proposition modifiée est renvoyée à l'équipe.") == 1
    tool.refresh_from_db()
    assert tool.moderation_status == ModerationStatus.SUBMITTED
    assert tool.pitch == "Des notes partagées, sous licence MIT."


def test_home_title_contact_page_and_legal_notice(live_server, no_js_context, settings):
    settings.LEGAL_PUBLISHER = "Mouvement associatif des Pays de la Loire"
    settings.CONTACT_EMAIL = "equipe@ressourcerie.example.org"
    page = no_js_context().new_page()
    page.goto(live_server.url + "/")
    assert page.title() == f"Accueil · {settings.SITE_NAME}"
    page.get_by_role("link", name="Mentions légales").click()
    assert "Mouvement associatif des Pays de la Loire" in _main(page)
    page.get_by_role("link", name="Contact", exact=True).click()
    page.get_by_label("Votre adresse e-mail").fill("alex@example.org")
    page.get_by_label("Objet").fill("Devenir reconditionneur")
    page.get_by_label("Message").fill("Nous reconditionnons des ordinateurs à Nantes.")
    page.get_by_role("button", name="Envoyer le message").click()
    assert _main(page).count("Votre message est transmis à l'équipe") == 1
    (sent,) = [m for m in mail.outbox if "equipe@ressourcerie.example.org" in m.to]
    assert sent.reply_to == ["alex@example.org"]
    assert User.objects.count() == 0
