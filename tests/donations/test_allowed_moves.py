"""Pages offer exactly the moves ``services.allowed_moves`` returns: the machine and the
person's rights decide which buttons appear, and the lot page never leaves a lot stuck."""

import pytest

from ressourcerie.donations import services
from ressourcerie.donations.models import Lot, LotStatus, RequestStatus, Transition
from tests.factories import CommuneFactory, StaffFactory, UserFactory

from .factories import make_association_member, make_offer, make_refurbisher, make_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    org, refurbisher = make_refurbisher()
    offer, _secret = make_offer(CommuneFactory())
    return org, refurbisher, offer.lots.get()


def _to(lot, status, actor, **extra):
    return services.transition_lot(lot=lot, to_status=status, actor=actor, **extra)


def _erased(org, refurbisher, lot):
    _to(lot, LotStatus.ACCEPTED, refurbisher, refurbisher=org)
    _to(lot, LotStatus.COLLECTED, refurbisher)
    _to(lot, LotStatus.ERASED, refurbisher, erasure_method="nwipe", erasure_certificate="C")
    return Lot.objects.get(pk=lot.pk)


def test_lot_moves_follow_the_machine_and_the_handler(setup):
    org, refurbisher, lot = setup
    _other_org, other = make_refurbisher("Autre atelier")
    assert services.allowed_moves(lot, refurbisher) == [LotStatus.ACCEPTED]
    assert services.allowed_moves(lot, UserFactory()) == []
    lot = _erased(org, refurbisher, lot)
    assert services.allowed_moves(lot, refurbisher) == [LotStatus.REFURBISHED, LotStatus.RECYCLED]
    assert services.allowed_moves(lot, other) == []
    assert services.allowed_moves(lot, StaffFactory()) == [
        LotStatus.REFURBISHED,
        LotStatus.RECYCLED,
    ]


def test_request_moves_follow_the_machine_and_the_rights():
    association, member = make_association_member()
    request_obj = make_request(association, member, validated=False)
    staff = StaffFactory()
    assert services.allowed_moves(request_obj, staff) == [
        RequestStatus.VALIDATED,
        RequestStatus.CLOSED,
    ]
    assert services.allowed_moves(request_obj, member) == [RequestStatus.CLOSED]
    assert services.allowed_moves(request_obj, UserFactory()) == []
    services.transition_request(
        request_obj=request_obj, to_status=RequestStatus.CLOSED, actor=member
    )
    request_obj.refresh_from_db()
    assert services.allowed_moves(request_obj, staff) == []


def test_lot_page_shows_one_form_per_allowed_move(client, setup):
    org, refurbisher, lot = setup
    client.force_login(refurbisher)
    _to(lot, LotStatus.ACCEPTED, refurbisher, refurbisher=org)
    page = client.get(f"/dons/atelier/lots/{lot.pk}/").content.decode()
    assert "Marquer comme collecté" in page and "Enregistrer l'effacement" not in page
    _to(lot, LotStatus.COLLECTED, refurbisher)
    page = client.get(f"/dons/atelier/lots/{lot.pk}/").content.decode()
    assert "Marquer comme collecté" not in page and "Enregistrer l'effacement" in page
    _to(lot, LotStatus.ERASED, refurbisher, erasure_method="nwipe", erasure_certificate="C")
    page = client.get(f"/dons/atelier/lots/{lot.pk}/").content.decode()
    assert f"/dons/atelier/lots/{lot.pk}/issue/" in page
    assert f"/dons/atelier/lots/{lot.pk}/recycler/" in page
    assert "Tout recycler" in page


def test_nothing_reused_is_refused_and_the_recycle_button_ends_the_lot(client, setup):
    org, refurbisher, lot = setup
    lot = _erased(org, refurbisher, lot)
    client.force_login(refurbisher)
    response = client.post(
        f"/dons/atelier/lots/{lot.pk}/issue/", {"reused": "0", "recycled": "5"}, follow=True
    )
    page = response.content.decode()
    assert "Aucun appareil n&#x27;est reconditionné" in page
    assert "« Tout recycler »" in page and f"/dons/atelier/lots/{lot.pk}/recycler/" in page
    assert Lot.objects.get(pk=lot.pk).status == LotStatus.ERASED
    client.post(f"/dons/atelier/lots/{lot.pk}/recycler/")
    lot.refresh_from_db()
    assert (lot.status, lot.reused_count, lot.recycled_count) == (LotStatus.RECYCLED, 0, 5)


def test_erasure_form_is_validated_and_shown_again_as_typed(client, setup):
    org, refurbisher, lot = setup
    _to(lot, LotStatus.ACCEPTED, refurbisher, refurbisher=org)
    _to(lot, LotStatus.COLLECTED, refurbisher)
    client.force_login(refurbisher)
    count = Transition.objects.count()
    response = client.post(
        f"/dons/atelier/lots/{lot.pk}/effacer/",
        {"erasure_method": "nwipe", "erasure_certificate": "x" * 101},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="nwipe"' in page
    assert "100 caractères" in page
    response = client.post(f"/dons/atelier/lots/{lot.pk}/effacer/", {"erasure_method": "nwipe"})
    assert "Indiquez la référence du certificat d&#x27;effacement." in response.content.decode()
    assert (Lot.objects.get(pk=lot.pk).status, Transition.objects.count()) == (
        LotStatus.COLLECTED,
        count,
    )
    response = client.post(
        f"/dons/atelier/lots/{lot.pk}/effacer/",
        {"erasure_method": " nwipe ", "erasure_certificate": "CERT-1"},
    )
    assert response.status_code == 302
    lot.refresh_from_db()
    assert (lot.status, lot.erasure_method, lot.erasure_certificate) == (
        LotStatus.ERASED,
        "nwipe",
        "CERT-1",
    )


def test_offer_page_offers_accepting_only_proposed_lots_to_a_serving_refurbisher(client, setup):
    org, refurbisher, lot = setup
    client.force_login(refurbisher)
    page = client.get(f"/dons/atelier/offres/{lot.offer_id}/").content.decode()
    assert "Accepter ce lot" in page
    _to(lot, LotStatus.ACCEPTED, refurbisher, refurbisher=org)
    page = client.get(f"/dons/atelier/offres/{lot.offer_id}/").content.decode()
    assert "Accepter ce lot" not in page
