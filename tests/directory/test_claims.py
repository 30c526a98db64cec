"""The claim state machine: one transition function, a history row per move, the right checked."""

import pytest
from django.core import mail

from ressourcerie.core.models import Organisation
from ressourcerie.directory import services
from ressourcerie.directory.models import PlaceClaim, PlaceClaimTransition
from tests.factories import StaffFactory, UserFactory

from .factories import PlaceFactory

pytestmark = pytest.mark.django_db

Status = PlaceClaim.Status


def _staff_claim():
    return services.request_staff_claim(place=PlaceFactory(), user=UserFactory(), message="moi")


def test_team_approval_writes_who_when_from_and_to(django_capture_on_commit_callbacks):
    claim = _staff_claim()
    staff = StaffFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.transition_claim(claim=claim, to_status=Status.APPROVED, by=staff)
    claim.refresh_from_db()
    assert claim.status == Status.APPROVED and claim.decided_by == staff
    (row,) = PlaceClaimTransition.objects.filter(claim=claim)
    assert (row.from_status, row.to_status, row.actor, row.reason) == (
        Status.PENDING,
        Status.APPROVED,
        staff,
        "",
    )
    assert row.at is not None
    assert mail.outbox[-1].to == [claim.user.email]


def test_rejection_keeps_the_reason_in_the_history():
    claim = _staff_claim()
    staff = StaffFactory()
    services.transition_claim(claim=claim, to_status=Status.REJECTED, by=staff, reason=" Inconnu ")
    row = PlaceClaimTransition.objects.get(claim=claim)
    assert (row.to_status, row.reason, row.actor) == (Status.REJECTED, "Inconnu", staff)


def test_code_approval_is_recorded_as_the_claimers_own_move():
    place = PlaceFactory(emails=["lieu@example.org"])
    user = UserFactory()
    claim = services.start_code_claim(place=place, user=user, email="lieu@example.org")
    claim.code_hash = services._claim_code_hash(claim.pk, "123456")
    claim.save()
    assert services.verify_claim_code(claim=claim, code="123456")
    claim.refresh_from_db()
    assert claim.status == Status.APPROVED and claim.decided_by is None
    row = PlaceClaimTransition.objects.get(claim=claim)
    assert (row.from_status, row.to_status, row.actor) == (Status.PENDING, Status.APPROVED, user)
    assert row.reason == "Code reçu à l'adresse publiée."


def test_a_decided_claim_cannot_move_again_and_leaves_no_history():
    claim = _staff_claim()
    staff = StaffFactory()
    services.transition_claim(claim=claim, to_status=Status.REJECTED, by=staff, reason="Non")
    with pytest.raises(services.DirectoryError) as refused:
        services.transition_claim(claim=claim, to_status=Status.APPROVED, by=staff)
    assert refused.value.message == (
        "Cette demande est « Refusée » et ne peut pas passer à « Acceptée »."
    )
    assert PlaceClaimTransition.objects.filter(claim=claim).count() == 1
    assert not Organisation.objects.exists()


def test_only_the_team_decides_and_the_claimer_only_approves_by_code():
    claim = _staff_claim()
    with pytest.raises(services.DirectoryError):
        services.transition_claim(claim=claim, to_status=Status.APPROVED, by=UserFactory())
    with pytest.raises(services.DirectoryError):
        services.transition_claim(claim=claim, to_status=Status.APPROVED, by=claim.user)
    with pytest.raises(services.DirectoryError):  # the code proves access, not a refusal
        services.transition_claim(
            claim=claim, to_status=Status.REJECTED, by=claim.user, reason="x", code_proven=True
        )
    with pytest.raises(services.DirectoryError):  # someone else's code claim
        services.transition_claim(
            claim=claim, to_status=Status.APPROVED, by=UserFactory(), code_proven=True
        )
    claim.refresh_from_db()
    assert claim.status == Status.PENDING
    assert not PlaceClaimTransition.objects.exists()


def test_a_refusal_needs_a_reason():
    claim = _staff_claim()
    with pytest.raises(services.DirectoryError) as refused:
        services.transition_claim(claim=claim, to_status=Status.REJECTED, by=StaffFactory())
    assert refused.value.message == "Indiquez un motif : il sera envoyé à la personne."


def test_allowed_moves_are_the_teams_only_and_none_once_decided():
    claim = _staff_claim()
    staff = StaffFactory()
    assert services.allowed_moves(claim, staff) == [Status.APPROVED, Status.REJECTED]
    assert services.allowed_moves(claim, claim.user) == []
    assert services.allowed_moves(claim, UserFactory()) == []
    services.transition_claim(claim=claim, to_status=Status.APPROVED, by=staff)
    claim.refresh_from_db()
    assert services.allowed_moves(claim, staff) == []


def test_the_teams_page_offers_the_allowed_moves(client):
    claim = _staff_claim()
    client.force_login(StaffFactory())
    page = client.get("/acteurs/gestion/demandes/").content.decode()
    assert f'name="claim-{claim.pk}-decision" value="approve"' in page
    assert f'name="claim-{claim.pk}-decision" value="reject"' in page


def test_an_editor_of_the_place_is_not_offered_a_claim(client):
    claim = _staff_claim()
    services.transition_claim(claim=claim, to_status=Status.APPROVED, by=StaffFactory())
    client.force_login(claim.user)
    response = client.get(f"/acteurs/{claim.place.slug}/gerer/")
    assert response.status_code == 302 and response.url.endswith("/modifier/")
