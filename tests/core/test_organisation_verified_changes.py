"""F7: the name, identifiers and contact addresses of a verified organisation change only
after the team accepts; only its administrators (member or editor role) may propose it."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from ressourcerie.accounts import invitations
from ressourcerie.accounts.models import Role
from ressourcerie.core import moderation
from ressourcerie.core.models import ModerationStatus, Organisation, OrganisationChange
from ressourcerie.core.organisations import services
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

from .organisation_fixtures import VALID_RNA, VALID_SIRET, communes, make_moderator  # noqa: F401

FAKE_NAME = "Préfecture de Loire-Atlantique (officiel)"


@pytest.fixture
def verified(communes):  # noqa: F811
    return OrganisationFactory(
        name="Vélo nantais",
        rna=VALID_RNA,
        website="https://velo-nantais.example.org",
        public_email="contact@velo-nantais.example.org",
        description="Ateliers de réparation.",
        verified_at=timezone.now(),
        verified_by=make_moderator(UserFactory()),
    )


@pytest.fixture
def admin(verified):
    return MembershipFactory(organisation=verified, role=Role.MEMBER).user


def edit_data(organisation, **overrides):
    return {
        "name": organisation.name,
        "rna": organisation.rna,
        "siren_siret": organisation.siret or organisation.siren,
        "commune": "Nantes (44)",
        "description": organisation.description,
        "website": organisation.website,
        "public_email": organisation.public_email,
        **overrides,
    }


def edit(client, organisation, **overrides):
    return client.post(
        reverse("core:organisation_edit", args=[organisation.slug]),
        edit_data(organisation, **overrides),
    )


def test_member_without_admin_role_cannot_rename_a_verified_association(client, verified):
    refurbisher = MembershipFactory(organisation=verified, role=Role.REFURBISHER).user
    client.force_login(refurbisher)

    response = edit(client, verified, name=FAKE_NAME, description="Nouvelle présentation")

    content = response.content.decode()
    assert response.status_code == 200
    assert "Seuls les responsables de l&#x27;association" in content
    assert "Changement réservé aux responsables" in content
    assert f'value="{FAKE_NAME}"' in content  # input kept
    verified.refresh_from_db()
    assert verified.name == "Vélo nantais"
    assert verified.description == "Ateliers de réparation."  # nothing half-written
    assert not OrganisationChange.objects.exists()

    # The other fields of the page stay theirs to edit.
    assert edit(client, verified, description="Nouvelle présentation").status_code == 302
    verified.refresh_from_db()
    assert verified.description == "Nouvelle présentation"


def test_admin_rename_is_held_for_moderation_and_the_public_page_keeps_the_verified_name(
    client, verified, admin, django_capture_on_commit_callbacks
):
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = edit(
            client,
            verified,
            name=FAKE_NAME,
            siren_siret=VALID_SIRET,
            website="https://prefecture-officiel.example.org",
            public_email="contact@prefecture-officiel.example.org",
            description="Nouvelle présentation",
        )

    assert response.status_code == 302
    verified.refresh_from_db()
    assert verified.name == "Vélo nantais"
    assert verified.siret == "" and verified.website == "https://velo-nantais.example.org"
    assert verified.public_email == "contact@velo-nantais.example.org"
    assert verified.description == "Nouvelle présentation"  # other fields apply at once
    assert verified.is_verified

    change = OrganisationChange.objects.get()
    assert change.moderation_status == ModerationStatus.SUBMITTED
    assert change.submitted_by == admin
    assert change.changes == {
        "name": FAKE_NAME,
        "siren": VALID_SIRET[:9],
        "siret": VALID_SIRET,
        "website": "https://prefecture-officiel.example.org",
        "public_email": "contact@prefecture-officiel.example.org",
    }
    assert change.previous["name"] == "Vélo nantais"
    assert [(r.from_status, r.to_status) for r in moderation.history(change)] == [
        ("", ModerationStatus.SUBMITTED)
    ]

    page = client.get(verified.get_absolute_url()).content.decode()
    assert FAKE_NAME not in client.get(reverse("core:organisation_list")).content.decode()
    assert "Vélo nantais" in page and "en attente de vérification" in page

    # E-mails carry the verified name until the team accepts.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        invitations.invite_member(organisation=verified, inviter=admin, email="x@example.org")
    assert "Vélo nantais" in mail.outbox[-1].subject
    assert FAKE_NAME not in mail.outbox[-1].subject + mail.outbox[-1].body


def test_moderator_accepting_applies_the_change_keeps_verified_and_writes_history(
    client, verified, admin, django_capture_on_commit_callbacks
):
    verified_at = verified.verified_at
    change = services.propose_organisation_change(
        organisation=verified, actor=admin, changes={"name": FAKE_NAME}
    )
    moderator = make_moderator(UserFactory())
    client.force_login(moderator)
    queue = client.get(reverse("core:moderation_queue")).content.decode()
    assert "Vélo nantais" in queue and FAKE_NAME in queue

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("core:moderation_decide", args=[moderation.type_of(change).key, change.pk]),
            {f"{moderation.type_of(change).key}-{change.pk}-decision": ModerationStatus.PUBLISHED},
        )

    assert response.status_code == 302
    verified.refresh_from_db()
    assert verified.name == FAKE_NAME
    assert verified.verified_at == verified_at
    change.refresh_from_db()
    assert change.moderation_status == ModerationStatus.PUBLISHED
    history = moderation.history(change)
    assert [(r.to_status, r.actor) for r in history] == [
        (ModerationStatus.PUBLISHED, moderator),
        (ModerationStatus.SUBMITTED, admin),
    ]
    assert mail.outbox[-1].to == [admin.email]


def test_rejected_change_leaves_the_verified_values(verified, admin):
    change = services.propose_organisation_change(
        organisation=verified, actor=admin, changes={"website": "https://faux.example.org"}
    )
    moderation.transition(
        obj=change,
        to_status=ModerationStatus.REJECTED,
        actor=make_moderator(UserFactory()),
        reason="Ce n'est pas le site de l'association.",
    )
    verified.refresh_from_db()
    assert verified.website == "https://velo-nantais.example.org"


def test_service_refuses_a_member_without_admin_role(verified):
    refurbisher = MembershipFactory(organisation=verified, role=Role.REFURBISHER).user
    with pytest.raises(services.OrganisationError):
        services.update_organisation(
            organisation=verified, actor=refurbisher, data={"name": FAKE_NAME}
        )
    verified.refresh_from_db()
    assert verified.name == "Vélo nantais"
    assert not OrganisationChange.objects.exists()


def test_unverified_association_is_still_edited_directly(client, communes):  # noqa: F811
    organisation = OrganisationFactory(name="Vélo nantais", rna=VALID_RNA)
    client.force_login(MembershipFactory(organisation=organisation).user)
    assert edit(client, organisation, name="Vélo nantais et plus").status_code == 302
    organisation.refresh_from_db()
    assert organisation.name == "Vélo nantais et plus"
    assert not OrganisationChange.objects.exists()


def test_the_team_edits_a_verified_association_directly(client, verified):
    client.force_login(make_moderator(UserFactory()))
    assert edit(client, verified, name="Vélo nantais (44)").status_code == 302
    verified.refresh_from_db()
    assert verified.name == "Vélo nantais (44)" and verified.is_verified
    assert not OrganisationChange.objects.exists()


# --- API ---------------------------------------------------------------------------------


def _patch(client, organisation, data, user):
    from ressourcerie.accounts.services import create_api_token

    _token, raw = create_api_token(user=user, name="test")
    return client.patch(
        f"/api/v1/organisations/{organisation.slug}",
        data=data,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )


def test_api_refuses_a_contact_change_from_a_member_without_admin_role(client, verified):
    refurbisher = MembershipFactory(organisation=verified, role=Role.REFURBISHER).user
    response = _patch(client, verified, {"website": "https://faux.example.org"}, refurbisher)
    assert response.status_code == 403
    error = response.json()["error"]
    assert error["code"] == "forbidden" and "Seuls les responsables" in error["message"]
    assert Organisation.objects.get(pk=verified.pk).website == "https://velo-nantais.example.org"


def test_api_contact_change_of_a_verified_organisation_goes_to_moderation(client, verified, admin):
    response = _patch(
        client,
        verified,
        {"public_email": "autre@example.org", "description": "Présentation à jour"},
        admin,
    )
    assert response.status_code == 200, response.content
    assert response.json()["public_email"] == "contact@velo-nantais.example.org"
    verified.refresh_from_db()
    assert verified.description == "Présentation à jour"
    change = OrganisationChange.objects.get()
    assert change.changes == {"public_email": "autre@example.org"}
    assert change.moderation_status == ModerationStatus.SUBMITTED


def test_accepting_a_number_taken_meanwhile_is_refused_in_french(verified, admin):
    change = services.propose_organisation_change(
        organisation=verified, actor=admin, changes={"rna": "W442009999"}
    )
    OrganisationFactory(name="Arrivée entre-temps", rna="W442009999")
    with pytest.raises(moderation.ModerationError) as refused:
        moderation.transition(
            obj=change, to_status=ModerationStatus.PUBLISHED, actor=make_moderator(UserFactory())
        )
    assert "Arrivée entre-temps" in str(refused.value.message)
    verified.refresh_from_db()
    change.refresh_from_db()
    assert verified.rna == VALID_RNA
    assert change.moderation_status == ModerationStatus.SUBMITTED
