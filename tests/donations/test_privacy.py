"""Donors' and associations' contacts: only the refurbisher handling them and staff."""

import pytest
from django.test import Client

from ressourcerie.accounts.models import Membership, Role
from ressourcerie.donations import services
from ressourcerie.donations.models import LotStatus
from tests.api.conftest import bearer, make_token
from tests.factories import CommuneFactory, StaffFactory, UserFactory

from .factories import make_association_member, make_offer, make_refurbisher, make_request

pytestmark = pytest.mark.django_db

PRIVATE_STRINGS = ("12 rue Secrète", "0240000000", "contact-prive@asso.example", "0611111111")


@pytest.fixture
def world():
    commune = CommuneFactory()
    org, refurbisher = make_refurbisher()
    other_org, other_refurbisher = make_refurbisher("Autre atelier")
    association, member = make_association_member()
    other_association, other_member = make_association_member("Autre association")
    offer, secret = make_offer(commune, email="donateur@entreprise.example")
    lot = offer.lots.get()
    services.transition_lot(
        lot=lot, to_status=LotStatus.ACCEPTED, actor=refurbisher, refurbisher=org
    )
    services.transition_lot(lot=lot, to_status=LotStatus.COLLECTED, actor=refurbisher)
    services.transition_lot(
        lot=lot,
        to_status=LotStatus.ERASED,
        actor=refurbisher,
        erasure_method="nwipe",
        erasure_certificate="C-1",
    )
    services.transition_lot(
        lot=lot, to_status=LotStatus.REFURBISHED, actor=refurbisher, reused=4, recycled=1
    )
    request_obj = make_request(association, member)
    allocation = services.allocate(lot=lot, request_obj=request_obj, quantity=4, actor=refurbisher)
    reviewer = UserFactory()
    Membership.objects.create(user=reviewer, organisation=None, role=Role.REVIEWER)
    return {
        "offer": offer,
        "secret": secret,
        "lot": lot,
        "request": request_obj,
        "allocation": allocation,
        "refurbisher": refurbisher,
        "member": member,
        "other_refurbisher": other_refurbisher,
        "other_member": other_member,
        "reviewer": reviewer,
        "staff": StaffFactory(),
    }


def private_pages(w):
    return [
        f"/dons/atelier/offres/{w['offer'].pk}/",
        f"/dons/atelier/lots/{w['lot'].pk}/",
        f"/dons/demandes/{w['request'].pk}/",
    ]


def outsiders(w):
    return {
        "anonymous": None,
        "other refurbisher": w["other_refurbisher"],
        "other association member": w["other_member"],
        "reviewer": w["reviewer"],
        "signed-in user": UserFactory(),
    }


def _client(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_every_outsider_is_refused_on_private_pages(world):
    for role, user in outsiders(world).items():
        client = _client(user)
        for path in private_pages(world):
            response = client.get(path)
            body = response.content.decode()
            refused = response.status_code in (403, 404)
            # A refurbisher may read a validated request's needs, never its contacts.
            if role == "other refurbisher" and path.startswith("/dons/demandes/"):
                refused = response.status_code == 200
            assert refused, (role, path, response.status_code)
            assert not any(s in body for s in PRIVATE_STRINGS), (role, path)
            assert "donateur@entreprise.example" not in body


def test_outsiders_cannot_act_on_a_lot_or_an_allocation(world):
    lot = world["lot"]
    for role, user in outsiders(world).items():
        client = _client(user)
        for action in ("collecter", "effacer", "issue", "attribuer"):
            response = client.post(f"/dons/atelier/lots/{lot.pk}/{action}/")
            assert response.status_code == 404, (role, action)
        response = client.post(f"/dons/attributions/{world['allocation'].pk}/reception/")
        assert response.status_code == 404, role
    lot.refresh_from_db()
    assert lot.status == LotStatus.ALLOCATED
    world["allocation"].refresh_from_db()
    assert world["allocation"].received_at is None


def test_role_pages_refuse_outsiders(world):
    for role, user in outsiders(world).items():
        client = _client(user)
        workshop = client.get("/dons/atelier/")
        if role == "other refurbisher":
            assert workshop.status_code == 200
            assert "donateur@entreprise.example" not in workshop.content.decode()
        elif user is None:
            assert workshop.status_code == 302 and "/compte/" in workshop["Location"]
        else:
            assert workshop.status_code == 403, role
        staff_page = client.get("/dons/gestion/")
        assert staff_page.status_code in (302, 403), role


def test_handling_refurbisher_and_staff_see_contacts(world):
    for user in (world["refurbisher"], world["staff"]):
        client = _client(user)
        lot_page = client.get(f"/dons/atelier/lots/{world['lot'].pk}/").content.decode()
        assert "donateur@entreprise.example" in lot_page and "12 rue Secrète" in lot_page
        request_page = client.get(f"/dons/demandes/{world['request'].pk}/").content.decode()
        assert "contact-prive@asso.example" in request_page


def test_donor_page_needs_the_secret_and_hides_association_without_consent(world, client):
    assert client.get("/dons/suivi/mauvais-secret/").status_code == 404
    assert client.get("/dons/suivi/mauvais-secret/attestation/").status_code == 404
    page = client.get(f"/dons/suivi/{world['secret']}/").content.decode()
    assert world["request"].organisation.name in page
    world["request"].share_name = False
    world["request"].save()
    page = client.get(f"/dons/suivi/{world['secret']}/").content.decode()
    assert world["request"].organisation.name not in page
    assert "contact-prive@asso.example" not in page


def test_api_lots_only_for_their_refurbisher(world, client):
    lot = world["lot"]
    assert client.get("/api/v1/donations/lots").status_code == 401
    assert client.get(f"/api/v1/donations/lots/{lot.pk}").status_code == 401
    for user in (world["other_refurbisher"], world["other_member"], world["reviewer"]):
        headers = bearer(make_token(user))
        assert client.get("/api/v1/donations/lots", **headers).json()["count"] == 0
        assert client.get(f"/api/v1/donations/lots/{lot.pk}", **headers).status_code == 404
    headers = bearer(make_token(world["refurbisher"]))
    body = client.get("/api/v1/donations/lots", **headers).json()
    assert body["count"] == 1 and body["results"][0]["reused"] == 4
    detail = client.get(f"/api/v1/donations/lots/{lot.pk}", **headers).json()
    assert detail["erasure_certificate"] == "C-1"
    assert "donateur" not in str(detail)
