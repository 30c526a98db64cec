"""Each flash message is shown once: ``base.html`` renders them, the donations pages do not
render them a second time."""

import pytest
from django.utils.html import escape

from ressourcerie.donations import services
from ressourcerie.donations.models import LotStatus
from tests.factories import CommuneFactory, StaffFactory

from .factories import make_association_member, make_offer, make_refurbisher, make_request

pytestmark = pytest.mark.django_db


def _once(response, message):
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count(escape(message)) == 1, (message, page.count(escape(message)))


def test_follow_page_after_confirming(client):
    _offer, secret = make_offer(CommuneFactory(), confirmed=False)
    response = client.post(f"/dons/confirmer/{secret}/", follow=True)
    _once(response, "Merci : votre offre est confirmée.")


def test_offer_and_lot_pages_of_the_workshop(client):
    org, refurbisher = make_refurbisher()
    offer, _secret = make_offer(CommuneFactory())
    lot = offer.lots.get()
    client.force_login(refurbisher)
    response = client.post(f"/dons/atelier/lots/{lot.pk}/accepter/", {}, follow=True)
    _once(response, "Choisissez votre structure.")  # offer page
    response = client.post(
        f"/dons/atelier/lots/{lot.pk}/accepter/", {"refurbisher": org.pk}, follow=True
    )
    _once(response, "Lot accepté.")  # lot page
    response = client.post(f"/dons/atelier/lots/{lot.pk}/collecter/", follow=True)
    _once(response, "C'est enregistré.")
    response = client.post(f"/dons/atelier/lots/{lot.pk}/collecter/", follow=True)
    _once(response, "Ce lot est « Collecté » et ne peut pas passer à « Collecté ».")


def test_request_page_and_my_requests(client):
    org, refurbisher = make_refurbisher()
    association, member = make_association_member()
    request_obj = make_request(association, member, validated=False)
    client.force_login(StaffFactory())
    response = client.post(f"/dons/demandes/{request_obj.pk}/valider/", follow=True)
    _once(response, "C'est enregistré.")
    offer, _secret = make_offer(CommuneFactory())
    lot = offer.lots.get()
    for status, extra in [
        (LotStatus.ACCEPTED, {"refurbisher": org}),
        (LotStatus.COLLECTED, {}),
        (LotStatus.ERASED, {"erasure_method": "nwipe", "erasure_certificate": "C"}),
        (LotStatus.REFURBISHED, {"reused": 4, "recycled": 1}),
    ]:
        services.transition_lot(lot=lot, to_status=status, actor=refurbisher, **extra)
    allocation = services.allocate(lot=lot, request_obj=request_obj, quantity=4, actor=refurbisher)
    client.force_login(member)
    response = client.post(f"/dons/attributions/{allocation.pk}/reception/", follow=True)
    _once(response, "Réception confirmée. Merci !")  # my requests
    response = client.post(f"/dons/attributions/{allocation.pk}/reception/", follow=True)
    _once(response, "La réception a déjà été confirmée.")
