"""Bad input: refused with a French message, state unchanged."""

import datetime

import pytest
from django.utils import timezone

from ressourcerie.donations import services
from ressourcerie.donations.models import Lot, LotStatus, RequestStatus, Transition
from tests.factories import CommuneFactory, StaffFactory

from .factories import make_association_member, make_offer, make_refurbisher, make_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    org, refurbisher = make_refurbisher()
    offer, _secret = make_offer(CommuneFactory())
    return org, refurbisher, offer.lots.get()


def _refused(call, lot, message_part):
    before = (Lot.objects.get(pk=lot.pk).status, Transition.objects.count())
    with pytest.raises(services.DonationError) as error:
        call()
    assert message_part in error.value.message
    fresh = Lot.objects.get(pk=lot.pk)
    assert (fresh.status, Transition.objects.count()) == before


def test_out_of_order_transition_is_refused(setup):
    org, refurbisher, lot = setup
    _refused(
        lambda: services.transition_lot(lot=lot, to_status=LotStatus.DELIVERED, actor=refurbisher),
        lot,
        "ne peut pas passer",
    )
    services.transition_lot(
        lot=lot, to_status=LotStatus.ACCEPTED, actor=refurbisher, refurbisher=org
    )
    _refused(
        lambda: services.transition_lot(
            lot=lot,
            to_status=LotStatus.ERASED,
            actor=refurbisher,
            erasure_method="x",
            erasure_certificate="y",
        ),
        lot,
        "ne peut pas passer",
    )


def test_erasure_needs_method_and_certificate(setup):
    org, refurbisher, lot = setup
    services.transition_lot(
        lot=lot, to_status=LotStatus.ACCEPTED, actor=refurbisher, refurbisher=org
    )
    services.transition_lot(lot=lot, to_status=LotStatus.COLLECTED, actor=refurbisher)
    _refused(
        lambda: services.transition_lot(
            lot=lot,
            to_status=LotStatus.ERASED,
            actor=refurbisher,
            erasure_method="nwipe",
            erasure_certificate=" ",
        ),
        lot,
        "certificat",
    )


def test_another_refurbishers_lot_is_refused(setup):
    org, refurbisher, lot = setup
    _other_org, other = make_refurbisher("Autre")
    services.transition_lot(
        lot=lot, to_status=LotStatus.ACCEPTED, actor=refurbisher, refurbisher=org
    )
    _refused(
        lambda: services.transition_lot(lot=lot, to_status=LotStatus.COLLECTED, actor=other),
        lot,
        "autre reconditionneur",
    )
    # Nor can one accept a lot in the name of a structure one does not belong to.
    offer, _ = make_offer(CommuneFactory(), email="b@example.org")
    lot2 = offer.lots.get()
    _refused(
        lambda: services.transition_lot(
            lot=lot2, to_status=LotStatus.ACCEPTED, actor=other, refurbisher=org
        ),
        lot2,
        "reconditionneur",
    )


def test_impossible_counts_and_quantities(setup):
    org, refurbisher, lot = setup
    for status, extra in [
        (LotStatus.ACCEPTED, {"refurbisher": org}),
        (LotStatus.COLLECTED, {}),
        (LotStatus.ERASED, {"erasure_method": "nwipe", "erasure_certificate": "C"}),
    ]:
        services.transition_lot(lot=lot, to_status=status, actor=refurbisher, **extra)
    _refused(
        lambda: services.transition_lot(
            lot=lot, to_status=LotStatus.REFURBISHED, actor=refurbisher, reused=5, recycled=1
        ),
        lot,
        "au total",
    )
    services.transition_lot(
        lot=lot, to_status=LotStatus.REFURBISHED, actor=refurbisher, reused=4, recycled=1
    )
    association, member = make_association_member()
    request_obj = make_request(association, member, quantity=10)
    _refused(
        lambda: services.allocate(lot=lot, request_obj=request_obj, quantity=5, actor=refurbisher),
        lot,
        "Quantité impossible",
    )
    services.allocate(lot=lot, request_obj=request_obj, quantity=2, actor=refurbisher)
    request_obj.refresh_from_db()
    assert request_obj.status == RequestStatus.PARTIAL
    _refused(  # double submission of the same allocation
        lambda: services.allocate(lot=lot, request_obj=request_obj, quantity=2, actor=refurbisher),
        lot,
        "déjà attribué",
    )


def test_unvalidated_request_cannot_receive_and_only_staff_validates(setup):
    org, refurbisher, lot = setup
    association, member = make_association_member()
    request_obj = make_request(association, member, validated=False)
    with pytest.raises(services.DonationError):
        services.transition_request(
            request_obj=request_obj, to_status=RequestStatus.VALIDATED, actor=member
        )
    request_obj.refresh_from_db()
    assert request_obj.status == RequestStatus.SUBMITTED
    services.transition_request(
        request_obj=request_obj, to_status=RequestStatus.VALIDATED, actor=StaffFactory()
    )
    request_obj.refresh_from_db()
    assert request_obj.status == RequestStatus.VALIDATED


def test_past_date_and_double_submission_of_an_offer():
    commune = CommuneFactory()
    with pytest.raises(services.DonationError):
        services.create_offer(
            donor={"kind": "individual", "name": "A", "email": "a@example.org", "commune": commune},
            offer={
                "logistics": "depot",
                "erasure": "reconditionneur",
                "commune": commune,
                "available_from": timezone.localdate() - datetime.timedelta(days=1),
            },
            lots=[{"device_type": "portable", "quantity": 1, "condition": "fonctionne"}],
        )
    first, secret = make_offer(commune, email="same@example.org", confirmed=False)
    second, secret2 = make_offer(commune, email="same@example.org", confirmed=False)
    assert first.pk == second.pk and secret2 == ""


def test_lot_page_shows_french_error_and_keeps_state(client, setup):
    org, refurbisher, lot = setup
    client.force_login(refurbisher)
    client.post(f"/dons/atelier/lots/{lot.pk}/accepter/", {"refurbisher": org.pk})
    response = client.post(f"/dons/atelier/lots/{lot.pk}/effacer/", {}, follow=True)
    assert "ne peut pas passer" in response.content.decode()
    assert Lot.objects.get(pk=lot.pk).status == LotStatus.ACCEPTED


def _erased(setup):
    org, refurbisher, lot = setup
    for status, extra in [
        (LotStatus.ACCEPTED, {"refurbisher": org}),
        (LotStatus.COLLECTED, {}),
        (LotStatus.ERASED, {"erasure_method": "nwipe", "erasure_certificate": "C"}),
    ]:
        services.transition_lot(lot=lot, to_status=status, actor=refurbisher, **extra)
    return refurbisher, lot


def test_refurbished_with_nothing_reused_is_refused_not_turned_into_recycled(setup):
    refurbisher, lot = _erased(setup)
    _refused(
        lambda: services.transition_lot(
            lot=lot, to_status=LotStatus.REFURBISHED, actor=refurbisher, reused=0, recycled=5
        ),
        lot,
        "Aucun appareil n'est reconditionné",
    )
    assert Lot.objects.get(pk=lot.pk).status == LotStatus.ERASED


def test_recycled_with_devices_reused_is_refused(setup):
    refurbisher, lot = _erased(setup)
    _refused(
        lambda: services.transition_lot(
            lot=lot, to_status=LotStatus.RECYCLED, actor=refurbisher, reused=4, recycled=1
        ),
        lot,
        "enregistrez le lot comme reconditionné",
    )


def test_recycling_a_lot_counts_every_device_recycled(setup):
    refurbisher, lot = _erased(setup)
    services.transition_lot(lot=lot, to_status=LotStatus.RECYCLED, actor=refurbisher)
    lot.refresh_from_db()
    assert (lot.status, lot.reused_count, lot.recycled_count) == (LotStatus.RECYCLED, 0, 5)
    last = Transition.objects.filter(subject=Transition.Subject.LOT, object_id=lot.pk).last()
    assert (last.from_status, last.to_status, last.actor) == (
        LotStatus.ERASED,
        LotStatus.RECYCLED,
        refurbisher,
    )


def test_unknown_or_impossible_request_move_is_refused_in_french(setup):
    association, member = make_association_member()
    request_obj = make_request(association, member, validated=False)
    with pytest.raises(services.DonationError) as error:
        services.transition_request(
            request_obj=request_obj, to_status=RequestStatus.SERVED, actor=StaffFactory()
        )
    assert error.value.message == (
        "Cette demande est « Déposée » et ne peut pas passer à « Servie »."
    )
    with pytest.raises(services.DonationError, match="État inconnu"):
        services.transition_request(request_obj=request_obj, to_status="x", actor=StaffFactory())
