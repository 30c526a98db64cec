"""Mise en relation: an association writes to an actor through the site."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from ressourcerie.accounts import personal_data
from ressourcerie.accounts.models import Role
from ressourcerie.accounts.services import delete_account
from ressourcerie.core.models import OrganisationKind
from ressourcerie.directory.models import ContactMessage
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

from .factories import PlaceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def member():
    user = UserFactory(email="benevole@asso.fr", display_name="Camille")
    MembershipFactory(
        user=user, organisation=OrganisationFactory(name="Les Amis du Jardin"), role=Role.MEMBER
    )
    return user


def _post(client, place, member, **overrides):
    association = member.memberships.get().organisation
    data = {
        "association": str(association.pk),
        "subject": "Aide pour notre site",
        "body": "Bonjour, nous cherchons de l'aide pour refaire notre site web.",
        "website_hp": "",
    }
    data.update(overrides)
    return client.post(f"/acteurs/{place.slug}/ecrire/", data)


def test_member_writes_to_an_unclaimed_place_through_its_listing_address(
    client, member, django_capture_on_commit_callbacks
):
    place = PlaceFactory(emails=["accueil@lieu.fr"])
    client.force_login(member)
    page = client.get(f"/acteurs/{place.slug}/ecrire/").content.decode()
    assert "Les Amis du Jardin" in page and "accueil@lieu.fr" not in page
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, place, member)
    assert response.status_code == 302
    sent = mail.outbox[-1]
    assert sent.to == ["accueil@lieu.fr"]
    assert sent.reply_to == ["benevole@asso.fr"]
    assert "Les Amis du Jardin" in sent.subject and "Les Amis du Jardin" in sent.body
    assert "refaire notre site web" in sent.body
    message = ContactMessage.objects.get()
    assert message.organisation.name == "Les Amis du Jardin" and message.sender == member


def test_claimed_place_messages_go_to_its_editors_never_shown(
    client, member, django_capture_on_commit_callbacks
):
    structure = OrganisationFactory(kind=OrganisationKind.SUPPORT_STRUCTURE)
    editor = UserFactory(email="prive@structure.fr")
    MembershipFactory(user=editor, organisation=structure, role=Role.EDITOR)
    place = PlaceFactory(emails=["public@lieu.fr"], organisation=structure)
    client.force_login(member)
    assert "prive@structure.fr" not in client.get(place.get_absolute_url()).content.decode()
    assert "prive@structure.fr" not in client.get(f"/acteurs/{place.slug}/ecrire/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, place, member)
    assert mail.outbox[-1].to == ["prive@structure.fr"]


def test_place_without_email_suggests_phone_or_address(client, member):
    place = PlaceFactory(emails=[], phone="+33545000000", address="3 rue du Port")
    html = client.get(place.get_absolute_url()).content.decode()
    assert "Écrire à ce lieu" not in html and "pas d'adresse e-mail" in html
    client.force_login(member)
    html = client.get(f"/acteurs/{place.slug}/ecrire/").content.decode()
    assert "05 45 00 00 00" in html and "3 rue du Port" in html
    assert "<textarea" not in html
    _post(client, place, member)
    assert not ContactMessage.objects.exists()


def test_only_association_members_may_write(client):
    place = PlaceFactory(emails=["accueil@lieu.fr"])
    assert client.get(f"/acteurs/{place.slug}/ecrire/").status_code == 302  # sign in
    loner = UserFactory()
    client.force_login(loner)
    html = client.get(f"/acteurs/{place.slug}/ecrire/").content.decode()
    assert "Inscrire mon association" in html
    # Posting someone else's association is refused.
    other = OrganisationFactory()
    response = client.post(
        f"/acteurs/{place.slug}/ecrire/",
        {"association": str(other.pk), "subject": "x", "body": "y"},
    )
    assert not ContactMessage.objects.exists()
    assert response.status_code == 200


def test_too_long_message_and_honeypot_are_refused_keeping_what_was_typed(client, member):
    place = PlaceFactory(emails=["accueil@lieu.fr"])
    client.force_login(member)
    response = _post(client, place, member, body="x" * 3001, subject="Mon objet")
    html = response.content.decode()
    assert response.status_code == 400 and "Mon objet" in html
    assert "au plus 3000 caractères (actuellement 3001)" in html
    response = _post(client, place, member, website_hp="http://spam.test")
    assert response.status_code == 400
    assert not ContactMessage.objects.exists()


def test_rate_limited_per_user_and_per_place(client, member, settings, ratelimit_clock):
    settings.RATE_LIMITS_ENABLED = True
    place = PlaceFactory(emails=["accueil@lieu.fr"])
    client.force_login(member)
    for _ in range(5):
        assert _post(client, place, member).status_code == 302
    response = _post(client, place, member, subject="Le sixième")
    html = response.content.decode()
    assert response.status_code == 429 and "Réessayez dans 30 minutes." in html
    assert "Le sixième" in html

    busy = PlaceFactory(emails=["occupe@lieu.fr"])
    for i in range(10):
        writer = UserFactory()
        MembershipFactory(user=writer, organisation=member.memberships.get().organisation)
        client.force_login(writer)
        assert _post(client, busy, member).status_code == 302, i
    late = UserFactory()
    MembershipFactory(user=late, organisation=member.memberships.get().organisation)
    client.force_login(late)
    assert "réessayez demain" in _post(client, busy, member).content.decode()
    assert ContactMessage.objects.filter(place=busy).count() == 10


def test_purge_deletes_messages_older_than_12_months(member, capsys):
    place = PlaceFactory(emails=["accueil@lieu.fr"])
    organisation = member.memberships.get().organisation
    old = ContactMessage.objects.create(
        place=place, sender=member, organisation=organisation, subject="a", body="b"
    )
    ContactMessage.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=366))
    recent = ContactMessage.objects.create(
        place=place, sender=member, organisation=organisation, subject="c", body="d"
    )
    call_command("purge_contact_messages")
    assert "1 message(s) effacé(s)" in capsys.readouterr().out
    assert list(ContactMessage.objects.all()) == [recent]


def test_personal_data_export_and_erasure_cover_messages_claims_and_edits(member):
    from ressourcerie.directory import services

    place = PlaceFactory(emails=["accueil@lieu.fr"])
    organisation = member.memberships.get().organisation
    services.send_contact_message(
        place=place, sender=member, organisation=organisation, subject="Objet", body="Corps"
    )
    services.request_staff_claim(place=place, user=member, message="Je gère")
    exported = personal_data.collect(member)["directory"]
    assert exported["messages"][0]["association"] == "Les Amis du Jardin"
    assert exported["messages"][0]["body"] == "Corps"
    assert exported["claims"][0]["message"] == "Je gère"
    delete_account(user=member)
    assert not ContactMessage.objects.exists()
    from ressourcerie.directory.models import PlaceClaim

    assert not PlaceClaim.objects.exists()
