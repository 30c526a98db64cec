"""Becoming a verified association: the refusal that says where a person stands, the team's
queue with its checklist, the verification machine with its history and e-mails."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from ressourcerie.accounts.models import Role
from ressourcerie.core import refusals
from ressourcerie.core.models import OrganisationVerification, VerificationStatus
from ressourcerie.core.organisations import selectors, services, verification
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

from .organisation_fixtures import VALID_RNA, communes, make_moderator  # noqa: F401

V = VerificationStatus
REQUEST_URL = "/dons/demande/"


@pytest.fixture
def member(db):
    return UserFactory(email="benevole@example.org")


@pytest.fixture
def association(communes, member):  # noqa: F811
    organisation = OrganisationFactory(name="Jardins partagés", rna=VALID_RNA)
    MembershipFactory(user=member, organisation=organisation, role=Role.MEMBER)
    return organisation


@pytest.fixture
def moderator(db):
    return make_moderator(UserFactory(email="equipe@example.org"))


def page(response):
    return response.content.decode()


def test_person_without_association_is_offered_to_register_it_keeping_the_request(client, db):
    client.force_login(UserFactory())
    response = client.get(REQUEST_URL)
    assert response.status_code == 403
    text = page(response)
    assert "Accès refusé" not in text
    assert "demandez à un administrateur" not in text
    assert "Votre compte n&#x27;est rattaché à aucune association" in text
    assert "/associations/inscrire/?next=%2Fdons%2Fdemande%2F" in text


def test_member_of_an_association_awaiting_verification_reads_since_when_and_the_delay(
    client, association, member
):
    created = datetime(2031, 3, 4, 23, 30, tzinfo=ZoneInfo("UTC"))  # 5 March in Paris
    type(association).objects.filter(pk=association.pk).update(created_at=created)
    client.force_login(member)
    response = client.get(REQUEST_URL)
    assert response.status_code == 403
    text = page(response)
    assert "Votre association est en attente de vérification" in text
    assert "depuis le 5 mars 2031" in text
    assert "3 jours ouvrés" in text
    assert "le numéro RNA ou SIREN de l&#x27;association" in text


def test_member_whose_association_misses_something_reads_what_and_where_to_complete(
    client, association, member, moderator
):
    verification.transition_verification(
        organisation=association, to_status=V.INCOMPLETE, actor=moderator, reason="Le RNA manque."
    )
    client.force_login(member)
    text = page(client.get(REQUEST_URL))
    assert "Le RNA manque." in text
    assert reverse("core:organisation_edit", args=[association.slug]) in text


def test_registering_an_association_comes_back_to_the_request_page(client, communes):  # noqa: F811
    client.force_login(UserFactory())
    response = client.post(
        "/associations/inscrire/",
        {
            "name": "Les Pédales nantaises",
            "rna": "W442009999",
            "commune": "Nantes",
            "next": REQUEST_URL,
        },
    )
    assert response.status_code == 302, page(response)
    assert response["Location"] == REQUEST_URL


def test_registration_ignores_a_next_to_another_site(client, communes):  # noqa: F811
    client.force_login(UserFactory())
    response = client.post(
        "/associations/inscrire/",
        {
            "name": "Les Pédales nantaises",
            "rna": "W442009999",
            "commune": "Nantes",
            "next": "https://example.com/",
        },
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/associations/les-pedales-nantaises")


def test_team_page_refusal_names_the_role_and_who_grants_it(client, db):
    client.force_login(UserFactory())
    response = client.get(reverse("core:moderation_queue"))
    assert response.status_code == 403
    text = page(response)
    assert "Page réservée à l&#x27;équipe de la plateforme" in text
    assert "Les administrateurs de la plateforme." in text
    assert reverse("core:contact") in text


def test_verify_writes_history_sets_verified_at_and_mails_members(
    association, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        verification.transition_verification(
            organisation=association, to_status=V.VERIFIED, actor=moderator
        )
    association.refresh_from_db()
    assert association.verification_status == V.VERIFIED
    assert association.verified_at is not None and association.verified_by == moderator
    row = OrganisationVerification.objects.get(organisation=association)
    assert (row.from_status, row.to_status, row.actor) == (V.PENDING, V.VERIFIED, moderator)
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["benevole@example.org"]
    assert "Jardins partagés est vérifiée" in mailoutbox[0].subject


def test_missing_information_needs_a_reason_and_mails_it(
    association, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    with pytest.raises(verification.VerificationError):
        verification.transition_verification(
            organisation=association, to_status=V.INCOMPLETE, actor=moderator, reason=" "
        )
    assert not OrganisationVerification.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        verification.transition_verification(
            organisation=association,
            to_status=V.INCOMPLETE,
            actor=moderator,
            reason="Ajoutez le numéro SIREN.",
        )
    assert "Ajoutez le numéro SIREN." in mailoutbox[0].body
    assert "/modifier/" in mailoutbox[0].body


def test_member_completing_the_page_sends_it_back_to_the_queue(association, member, moderator):
    verification.transition_verification(
        organisation=association, to_status=V.INCOMPLETE, actor=moderator, reason="SIREN ?"
    )
    services.update_organisation(
        organisation=association, actor=member, data={"siren": "542051180"}
    )
    association.refresh_from_db()
    assert association.verification_status == V.PENDING
    steps = list(association.verification_history.values_list("to_status", flat=True))
    assert steps == [V.INCOMPLETE, V.PENDING]


def test_members_and_strangers_cannot_verify(association, member):
    for actor in (member, UserFactory()):
        with pytest.raises(verification.VerificationError):
            verification.transition_verification(
                organisation=association, to_status=V.VERIFIED, actor=actor
            )
    association.refresh_from_db()
    assert association.verification_status == V.PENDING and association.verified_at is None


def test_a_verified_association_cannot_be_verified_again(association, moderator):
    verification.transition_verification(
        organisation=association, to_status=V.VERIFIED, actor=moderator
    )
    with pytest.raises(verification.VerificationError, match="ne peut pas passer"):
        verification.transition_verification(
            organisation=association, to_status=V.INCOMPLETE, actor=moderator, reason="x"
        )


def test_checklist_reads_the_shipped_identifier_checks_email_and_website(association):
    association.website = "https://jardins.example.org"
    association.siren = "542051181"  # wrong Luhn key
    checks = {c.label: c for c in verification.checklist(association)}
    assert checks["Numéro RNA"].ok
    assert not checks["Numéro SIREN"].ok
    assert checks["Adresse e-mail d'un membre confirmée"].ok
    assert "jardins.example.org" in checks["Site web"].detail


def test_checklist_flags_a_member_whose_email_is_unconfirmed(communes):  # noqa: F811
    organisation = OrganisationFactory()
    MembershipFactory(organisation=organisation, user=UserFactory(email_confirmed_at=None))
    checks = {c.label: c for c in verification.checklist(organisation)}
    assert not checks["Adresse e-mail d'un membre confirmée"].ok
    assert not checks["Numéro RNA ou SIREN"].ok


def test_queue_lists_the_association_and_decides_in_one_click(
    client, association, moderator, mailoutbox
):
    client.force_login(moderator)
    text = page(client.get(reverse("core:verification_queue")))
    assert "Jardins partagés" in text and "Numéro RNA" in text
    url = reverse("core:verification_decide", args=[association.slug])
    response = client.post(url, {f"{association.slug}-decision": V.VERIFIED}, follow=True)
    assert page(response).count("« Jardins partagés » est vérifiée") == 1
    association.refresh_from_db()
    assert association.is_verified


def test_queue_keeps_the_form_when_the_reason_is_missing(client, association, moderator):
    client.force_login(moderator)
    url = reverse("core:verification_decide", args=[association.slug])
    response = client.post(url, {f"{association.slug}-decision": V.INCOMPLETE})
    assert response.status_code == 400
    assert "Indiquez ce qui manque" in page(response)
    association.refresh_from_db()
    assert association.verification_status == V.PENDING


def test_queue_refuses_a_member(client, association, member):
    client.force_login(member)
    assert client.get(reverse("core:verification_queue")).status_code == 403
    url = reverse("core:verification_decide", args=[association.slug])
    assert client.post(url, {f"{association.slug}-decision": V.VERIFIED}).status_code == 403
    association.refresh_from_db()
    assert not association.is_verified


def test_verified_member_reaches_the_request_form(client, association, member, moderator):
    verification.transition_verification(
        organisation=association, to_status=V.VERIFIED, actor=moderator
    )
    client.force_login(member)
    assert client.get(REQUEST_URL).status_code == 200


def test_waiting_since_is_the_last_return_to_the_queue(association, member, moderator):
    verification.transition_verification(
        organisation=association, to_status=V.INCOMPLETE, actor=moderator, reason="x"
    )
    before = timezone.now()
    verification.transition_verification(
        organisation=association, to_status=V.PENDING, actor=member
    )
    assert selectors.waiting_since(association) >= before


def test_editing_someone_elses_association_says_who_can_invite(client, association):
    client.force_login(UserFactory())
    for url in (
        reverse("core:organisation_edit", args=[association.slug]),
        reverse("core:organisation_invite", args=[association.slug]),
    ):
        response = client.get(url)
        assert response.status_code == 403
        text = page(response)
        assert "Page réservée aux membres de « Jardins partagés »" in text
        assert "Ses membres actuels : ils vous invitent depuis sa page." in text
        assert reverse("core:organisation_correction", args=[association.slug]) in text


def test_role_refusal_names_the_role_and_who_grants_it():
    refusal = refusals.role_refusal(Role.REFURBISHER)
    assert "reconditionneur" in refusal.missing
    assert refusal.granted_by.startswith("L'équipe de la plateforme")
    assert refusal.actions[0].url == reverse("core:contact")
    member = refusals.role_refusal(Role.MEMBER, "/dons/demande/")
    assert member.actions[0].url == "/associations/inscrire/?next=%2Fdons%2Fdemande%2F"
