"""Small things that made the platform look unfinished (issue 18, item 10), core's part:
the home page title, flash messages shown once, the empty choice, outbox dates, the legal
notice from settings with its deploy check, the contact page, the team's home counts."""

import re
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest
from django import forms
from django.conf import settings as django_settings
from django.core import checks
from django.urls import reverse
from django.utils import timezone

from ressourcerie.accounts.models import Role
from ressourcerie.core import moderation, navigation
from ressourcerie.core.models import (
    ContactMessage,
    ModerationStatus,
    Organisation,
    OrganisationCorrection,
)
from ressourcerie.core.organisations import services as organisation_services
from ressourcerie.toolbox.models import Price, Tool
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

from .organisation_fixtures import communes, make_moderator  # noqa: F401

ROOT = Path(django_settings.BASE_DIR)


@pytest.mark.django_db
def test_home_page_title_is_short(client):
    page = client.get("/").content.decode()
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert title == f"Accueil · {django_settings.SITE_NAME}"


def test_only_the_base_template_renders_flash_messages():
    """A second ``{% for message in messages %}`` anywhere shows each message twice."""
    loop = re.compile(r"{%\s*for\s+\w+\s+in\s+messages\s*%}")
    offenders = [
        str(path.relative_to(ROOT))
        for path in list(ROOT.glob("templates/**/*.html"))
        + list(ROOT.glob("ressourcerie/*/templates/**/*.html"))
        if loop.search(path.read_text()) and path != ROOT / "templates/base.html"
    ]
    assert offenders == []
    assert loop.search((ROOT / "templates/base.html").read_text())


@pytest.mark.django_db
def test_flash_message_is_shown_once_after_an_edit(client, communes):  # noqa: F811
    organisation = OrganisationFactory()
    member = UserFactory()
    MembershipFactory(user=member, organisation=organisation, role=Role.MEMBER)
    client.force_login(member)
    response = client.post(
        reverse("core:organisation_edit", args=[organisation.slug]),
        {"name": organisation.name, "rna": "W442001234", "commune": "Nantes"},
        follow=True,
    )
    assert response.redirect_chain, response.context["form"].errors
    assert response.content.decode().count("Les modifications sont enregistrées.") == 1


@pytest.mark.django_db
def test_empty_choice_reads_as_a_french_prompt():
    class Form(forms.Form):
        organisation = forms.ModelChoiceField(queryset=Organisation.objects.all())

    html = str(Form())  # through the project's form renderer, as every page
    assert "---------" not in html
    assert '<option value="" selected>— Choisir —</option>' in html


@pytest.mark.django_db
def test_outbox_dates_are_in_french_and_paris_time(client, settings):
    message = EmailMessage()
    message["Subject"] = "Bienvenue"
    message["To"] = "a@example.org"
    message["Date"] = "Mon, 06 Jan 2031 23:30:00 +0000"
    message.set_content("Bonjour")
    outbox = Path(settings.EMAIL_OUTBOX_DIR)
    outbox.mkdir(parents=True, exist_ok=True)
    name = "20310106-233000-0123abcd.eml"
    (outbox / name).write_bytes(message.as_bytes())
    client.force_login(make_moderator(UserFactory()))
    page = client.get(reverse("core:outbox")).content.decode()
    assert "7 janvier 2031 à 00:30" in page and "Jan 2031" not in page
    detail = client.get(reverse("core:outbox_detail", args=[name])).content.decode()
    assert "7 janvier 2031 à 00:30" in detail


@pytest.mark.django_db
def test_legal_notice_shows_the_instance_details(client, settings):
    settings.LEGAL_PUBLISHER = "Mouvement associatif des Pays de la Loire"
    settings.LEGAL_ADDRESS = "9 rue des Olivettes, 44000 Nantes"
    settings.LEGAL_DIRECTOR = "Camille Martin"
    settings.LEGAL_HOST = "Hébergeur associatif, Lyon"
    settings.CONTACT_EMAIL = "contact@ressourcerie.example.org"
    page = client.get(reverse("core:legal_notice")).content.decode()
    for value in ("Pays de la Loire", "9 rue des Olivettes", "Camille Martin", "Lyon"):
        assert value in page
    assert "contact@ressourcerie.example.org" in page
    assert "renseignées par chaque instance dans la configuration" not in page


def test_deploy_check_warns_in_production_when_details_are_missing(settings):
    settings.PRODUCTION = True
    settings.LEGAL_PUBLISHER = ""
    settings.LEGAL_ADDRESS = "9 rue des Olivettes"
    settings.LEGAL_DIRECTOR = "Camille Martin"
    settings.LEGAL_HOST = "Hébergeur"
    settings.CONTACT_EMAIL = ""
    found = checks.run_checks(tags=[checks.Tags.security], include_deployment_checks=True)
    ours = sorted(m.msg.split(" ")[0] for m in found if m.id.startswith("ressourcerie.W"))
    assert ours == ["CONTACT_EMAIL", "LEGAL_PUBLISHER"]
    settings.PRODUCTION = False
    found = checks.run_checks(tags=[checks.Tags.security], include_deployment_checks=True)
    assert not [m for m in found if m.id.startswith("ressourcerie.W")]


CONTACT = {
    "name": "Alex",
    "email": "alex@example.org",
    "subject": "Devenir reconditionneur",
    "message": "Bonjour, nous reconditionnons des ordinateurs à Nantes.",
}


@pytest.mark.django_db
def test_contact_message_is_relayed_to_the_team_and_not_kept(
    client, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.CONTACT_EMAIL = "equipe@ressourcerie.example.org"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("core:contact"), CONTACT, follow=True)
    assert response.content.decode().count("Votre message est transmis à l&#x27;équipe") == 1
    assert len(mailoutbox) == 1
    sent = mailoutbox[0]
    assert sent.to == ["equipe@ressourcerie.example.org"]
    assert sent.reply_to == ["alex@example.org"]
    assert "reconditionnons" in sent.body and "Devenir reconditionneur" in sent.subject
    assert not ContactMessage.objects.exists()


@pytest.mark.django_db
def test_contact_honeypot_and_errors_keep_what_was_typed(client, mailoutbox):
    response = client.post(reverse("core:contact"), {**CONTACT, "website_hp": "http://spam"})
    assert response.status_code == 200 and not ContactMessage.objects.exists()
    response = client.post(reverse("core:contact"), {**CONTACT, "email": "pas-une-adresse"})
    assert "reconditionnons" in response.content.decode()
    assert not mailoutbox


@pytest.mark.django_db
def test_contact_is_rate_limited_per_address(client, ratelimit_clock):
    for _ in range(3):
        assert client.post(reverse("core:contact"), CONTACT).status_code == 302
    response = client.post(reverse("core:contact"), CONTACT)
    assert response.status_code == 429
    assert "reconditionnons" in response.content.decode()
    assert ContactMessage.objects.count() <= 3


@pytest.mark.django_db
def test_team_home_shows_counts_oldest_age_and_nothing_waiting(client, communes):  # noqa: F811
    author = UserFactory()
    correction = organisation_services.report_correction(
        organisation=OrganisationFactory(verified_at=timezone.now()), user=author, message="x"
    )
    OrganisationCorrection.objects.filter(pk=correction.pk).update(
        submitted_at=timezone.now() - timedelta(days=4, hours=1)
    )
    client.force_login(make_moderator(UserFactory()))
    page = client.get(reverse("core:staff")).content.decode()
    cards = re.findall(r'<li class="card[^"]*">(.*?)</li>', page, re.S)
    moderation_card = next(c for c in cards if "Modération" in c)
    assert "1 en attente" in moderation_card
    assert "le plus ancien depuis 4 jours" in moderation_card
    verification_card = next(c for c in cards if "Associations à vérifier" in c)
    assert "Rien en attente" in verification_card


def test_a_broken_counter_does_not_close_the_team_home():
    def broken():
        raise RuntimeError("boom")

    navigation.register_counter("test:broken", broken)
    try:
        assert navigation.pending_for("test:broken") is None
    finally:
        navigation._counters.pop("test:broken")


@pytest.mark.django_db
def test_moderation_counter_takes_the_oldest_of_every_type(communes):  # noqa: F811
    organisation = OrganisationFactory()
    first = organisation_services.report_correction(
        organisation=organisation, user=UserFactory(), message="a"
    )
    organisation_services.report_correction(
        organisation=organisation, user=UserFactory(), message="b"
    )
    count, oldest = moderation.pending_count()
    assert count == 2 and oldest == first.submitted_at


@pytest.mark.django_db
def test_account_without_role_gets_a_next_step(client):
    client.force_login(UserFactory())
    page = client.get(reverse("accounts:profile")).content.decode()
    assert "Vous n'avez pas encore de rôle" in page
    assert reverse("core:organisation_create") in page
    assert reverse("core:contact") in page


@pytest.mark.django_db
def test_team_home_counts_from_each_part_also_by_date(client):
    Tool.objects.create(
        name="Agenda",
        slug="agenda",
        pitch="Un agenda.",
        licence="MIT",
        price=Price.FREE,
        moderation_status=ModerationStatus.PUBLISHED,
        verified_on=timezone.localdate() - timedelta(days=400),
    )
    client.force_login(make_moderator(UserFactory()))
    page = client.get(reverse("core:staff")).content.decode()
    cards = re.findall(r'<li class="card[^"]*">(.*?)</li>', page, re.S)
    card = next(c for c in cards if "Outils à vérifier" in c)
    assert "1 en attente" in card and "le plus ancien depuis 400 jours" in card
    assert page.index("Outils à vérifier") < page.index("Associations à vérifier")
