import datetime

import pytest
from django.utils import timezone

from ressourcerie.donations import services
from ressourcerie.donations.models import DeviceRequest, Donor, Offer
from tests.directory.factories import PlaceFactory
from tests.factories import CommuneFactory, UserFactory

from .factories import make_association_member, make_offer

pytestmark = pytest.mark.django_db


def _offer_data(**overrides):
    data = {
        "kind": "company",
        "name": "Société",
        "siret": "73282932000074",
        "email": "a@example.org",
        "commune": "Nantes",
        "logistics": "depot",
        "erasure": "reconditionneur",
        "available_from": (timezone.localdate() + datetime.timedelta(days=1)).strftime("%d/%m/%Y"),
        "lots-TOTAL_FORMS": "1",
        "lots-INITIAL_FORMS": "0",
        "lots-0-device_type": "portable",
        "lots-0-quantity": "2",
        "lots-0-condition": "fonctionne",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"siret": "12345678901234"}, "SIRET n&#x27;existe pas"),
        ({"siret": ""}, "Indiquez le SIRET"),
        ({"available_from": "01/01/2020"}, "Cette date est passée"),
        ({"lots-0-quantity": "0"}, "Au moins 1 appareil"),
        ({"lots-0-quantity": "100000"}, "Au plus 500"),
        ({"logistics": "enlevement"}, "adresse où enlever"),
        ({"lots-0-device_type": "", "lots-0-quantity": ""}, "au moins un lot"),
        ({"website_hp": "spam"}, "Proposer ce don"),
    ],
)
def test_offer_form_refuses_bad_input_in_french(client, overrides, message):
    CommuneFactory()
    response = client.post("/dons/donner/", _offer_data(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Offer.objects.exists()


def test_offer_form_is_rate_limited(client, settings):
    settings.RATE_LIMITS_ENABLED = True
    CommuneFactory()
    for _ in range(11):
        response = client.post("/dons/donner/", _offer_data(name=""))
    assert "Trop de demandes" in response.content.decode()


def test_public_pages_render(client):
    for path in (
        "/dons/",
        "/dons/donner/",
        "/dons/deposer/",
        "/dons/impact/",
        "/dons/donner/envoyee/?type=local_authority",
    ):
        assert client.get(path).status_code == 200, path


def test_dropoff_finds_places_accepting_the_equipment(client):
    CommuneFactory()
    PlaceFactory(
        name="Collecte Laptops",
        kinds=",collecte,",
        accepted_equipment=",portable,",
        latitude=47.22,
        longitude=-1.55,
        is_published=True,
    )
    PlaceFactory(
        name="Collecte Écrans",
        kinds=",collecte,",
        accepted_equipment=",ecran,",
        latitude=47.22,
        longitude=-1.56,
        is_published=True,
    )
    PlaceFactory(
        name="Médiathèque",
        kinds=",mediation,",
        accepted_equipment=",portable,",
        latitude=47.22,
        longitude=-1.56,
        is_published=True,
    )
    page = client.get("/dons/deposer/?q=Nantes&equipment=portable").content.decode()
    assert "Collecte Laptops" in page
    assert "Collecte Écrans" not in page and "Médiathèque" not in page
    api = client.get("/api/v1/donations/dropoff-points?q=Nantes&equipment=portable").json()
    assert [p["name"] for p in api["results"]] == ["Collecte Laptops"]
    # No location: every parameter fits the document, the request is refused on its merits.
    assert client.get("/api/v1/donations/dropoff-points").status_code == 422


def test_public_impact_api(client):
    body = client.get("/api/v1/donations/impact").json()
    assert body["reused"] == 0 and "ADEME" in body["source"]


def test_request_form_only_for_verified_association_members(client):
    user = UserFactory()
    client.force_login(user)
    assert client.get("/dons/demande/").status_code == 403
    org, member = make_association_member()
    org.verified_at = None
    org.save()
    client.force_login(member)
    assert client.get("/dons/demande/").status_code == 403


def test_personal_data_export_erasure_and_purge(django_capture_on_commit_callbacks):
    from ressourcerie.accounts import personal_data

    commune = CommuneFactory()
    user = UserFactory(email="donateur@example.org")
    make_offer(commune, email="donateur@example.org")
    exported = personal_data.collect(user)["dons_d_ordinateurs"]
    assert exported[0]["adresse_e_mail"] == "donateur@example.org"
    for step in personal_data._erasure_steps:
        step(user)
    assert not Donor.objects.filter(email="donateur@example.org").exists()
    # purge: unconfirmed offers go, finished offers lose contacts
    make_offer(commune, email="old@example.org", confirmed=False)
    Offer.objects.update(updated_at=timezone.now() - datetime.timedelta(days=400))
    assert services.purge_contacts(older_than_days=365) >= 1
    assert not Donor.objects.filter(email="old@example.org").exists()


def test_request_form_is_rate_limited_and_keeps_what_was_typed(client, settings):
    settings.RATE_LIMITS_ENABLED = True
    association, member = make_association_member()
    client.force_login(member)
    typed = {
        "organisation": association.pk,
        "device_type": "portable",
        "quantity": "3",
        "intended_use": "Ateliers numériques du mardi",
        "beneficiaries": "Douze jeunes en insertion",
        "priority": "3",
        "priority_reason": "Nos postes datent de 2012",
        "contact_email": "contact@asso.example",
    }
    for _ in range(10):  # within the limit: invalid tries are counted but answered normally
        response = client.post("/dons/demande/", {**typed, "quantity": "0"})
        assert response.status_code == 200
    response = client.post("/dons/demande/", typed)
    page = response.content.decode()
    assert response.status_code == 429
    assert "Trop de demandes en peu de temps" in page
    assert "Ateliers numériques du mardi" in page and "Nos postes datent de 2012" in page
    assert 'value="Douze jeunes en insertion"' in page
    assert not DeviceRequest.objects.exists()
    # Another member is not held back.
    other_association, other = make_association_member("Autre association")
    client.force_login(other)
    response = client.post("/dons/demande/", {**typed, "organisation": other_association.pk})
    assert response.status_code == 302
    assert DeviceRequest.objects.count() == 1


def test_only_organisations_keep_a_siret(client):
    CommuneFactory()
    data = _offer_data(kind="individual", name="Camille Martin", email="c@example.org")
    response = client.post("/dons/donner/", data)
    assert response.status_code == 302
    assert Donor.objects.get().siret == ""
    # The rule is the service's: a caller that passes one for a private donor loses it too.
    commune = Offer.objects.get().commune
    offer, _secret = services.create_offer(
        donor={"kind": "individual", "name": "B", "siret": "73282932000074", "email": "b@x.org"},
        offer={
            "logistics": "depot",
            "erasure": "reconditionneur",
            "commune": commune,
            "available_from": timezone.localdate(),
        },
        lots=[{"device_type": "portable", "quantity": 1, "condition": "fonctionne"}],
    )
    assert offer.donor.siret == ""


@pytest.mark.parametrize(
    "kind, words",
    [
        ("company", "238 bis"),
        ("association", "238 bis"),
        ("local_authority", "L. 2112-1"),
        ("individual", "Un particulier"),
        ("", "Un particulier"),
    ],
)
def test_offer_sent_page_tells_each_kind_of_donor_its_tax_note(client, kind, words):
    page = client.get(f"/dons/donner/envoyee/?type={kind}").content.decode()
    assert words in page
