"""A refurbisher sees and accepts only the offers inside its service area (80 km around its
workshop by default, a radius it sets, or its workshop's departments); a donor's contacts
appear only to the refurbisher that accepted one of its lots, and to the platform team."""

import pytest
from django.core import mail
from django.test import Client

from ressourcerie.accounts.models import Role
from ressourcerie.donations import services
from ressourcerie.donations.models import Lot, LotStatus, Transition
from tests.api.conftest import bearer, make_token
from tests.directory.factories import PlaceFactory
from tests.factories import (
    CommuneFactory,
    DepartmentFactory,
    RegionFactory,
    StaffFactory,
    UserFactory,
)

from .factories import make_offer, make_refurbisher

pytestmark = pytest.mark.django_db

# What a refurbisher must not read before it accepted a lot (make_offer's donor).
DONOR_PRIVATE = ("12 rue Secrète", "0240000000", "donateur@exemple.org")


def _commune(insee, name, lat, lon, department, region=("52", "Pays de la Loire")):
    region_obj = RegionFactory(code=region[0], name=region[1])
    department_obj = DepartmentFactory(code=department[0], name=department[1], region=region_obj)
    return CommuneFactory(
        insee=insee,
        name=name,
        search_name=name.lower(),
        latitude=lat,
        longitude=lon,
        department=department_obj,
        postal_codes="",
    )


@pytest.fixture
def places():
    """Nantes (the refurbishers' default commune) and towns at known distances from it."""
    return {
        "nantes": CommuneFactory(),
        # 54 km, same department
        "saint_nazaire": _commune(
            "44184", "Saint-Nazaire", 47.2802, -2.2544, ("44", "Loire-Atlantique")
        ),
        # 63 km, another department
        "la_roche": _commune("85191", "La Roche-sur-Yon", 46.6705, -1.4260, ("85", "Vendée")),
        # 99 km
        "rennes": _commune(
            "35238",
            "Rennes",
            48.1147,
            -1.6794,
            ("35", "Ille-et-Vilaine"),
            region=("53", "Bretagne"),
        ),
        # 696 km
        "marseille": _commune(
            "13055",
            "Marseille",
            43.2965,
            5.3698,
            ("13", "Bouches-du-Rhône"),
            region=("93", "Provence-Alpes-Côte d'Azur"),
        ),
    }


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _lot_history(lot):
    return list(Transition.objects.filter(subject=Transition.Subject.LOT, object_id=lot.pk))


def _assert_untouched(lot):
    fresh = Lot.objects.get(pk=lot.pk)
    assert (fresh.status, fresh.refurbisher_id) == (LotStatus.PROPOSED, None)
    assert _lot_history(fresh) == []


# --- the rule in the service -----------------------------------------------------------------
def test_refurbisher_cannot_accept_lot_outside_its_area(places, django_capture_on_commit_callbacks):
    org, refurbisher = make_refurbisher()  # in Nantes
    offer, _secret = make_offer(places["marseille"], email="donateur@exemple.org")
    lot = offer.lots.get()
    mail.outbox.clear()
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(services.DonationError) as refusal,
    ):
        services.transition_lot(
            lot=lot, to_status=LotStatus.ACCEPTED, actor=refurbisher, refurbisher=org
        )
    assert "hors de la zone d'intervention" in refusal.value.message
    assert "80 km" in refusal.value.message
    _assert_untouched(lot)
    assert mail.outbox == []  # the donor is told nothing happened, because nothing did


def test_refurbisher_accepts_lot_within_80_km_by_default(places):
    org, refurbisher = make_refurbisher()
    offer, _secret = make_offer(places["saint_nazaire"])
    lot = offer.lots.get()
    services.transition_lot(
        lot=lot, to_status=LotStatus.ACCEPTED, actor=refurbisher, refurbisher=org
    )
    lot.refresh_from_db()
    assert (lot.status, lot.refurbisher) == (LotStatus.ACCEPTED, org)
    (step,) = _lot_history(lot)
    assert (step.from_status, step.to_status, step.actor) == (
        LotStatus.PROPOSED,
        LotStatus.ACCEPTED,
        refurbisher,
    )


def test_refurbisher_without_a_known_location_accepts_nothing(places):
    org, refurbisher = make_refurbisher("Atelier sans adresse", commune=None)
    offer, _secret = make_offer(places["nantes"])
    lot = offer.lots.get()
    with pytest.raises(services.DonationError):
        services.transition_lot(
            lot=lot, to_status=LotStatus.ACCEPTED, actor=refurbisher, refurbisher=org
        )
    _assert_untouched(lot)
    assert _client(refurbisher).get(f"/dons/atelier/offres/{offer.pk}/").status_code == 404


def test_radius_is_measured_from_the_refurbishers_place_in_the_directory(places):
    # The organisation's seat is in Marseille, its workshop (directory place) in Nantes.
    org, refurbisher = make_refurbisher(commune=places["marseille"])
    PlaceFactory(
        name="Atelier nantais",
        organisation=org,
        kinds=",reconditionneur,",
        commune=places["nantes"],
        commune_name="Nantes",
        latitude=47.2316,
        longitude=-1.5483,
    )
    near, _s = make_offer(places["saint_nazaire"])
    far, _s = make_offer(places["marseille"])
    page = _client(refurbisher).get("/dons/atelier/").content.decode()
    assert f"/dons/atelier/offres/{near.pk}/" in page
    assert f"/dons/atelier/offres/{far.pk}/" not in page
    assert "Atelier nantais" in page


# --- the pages -------------------------------------------------------------------------------
def test_refurbisher_of_another_area_gets_404_on_the_offer_and_on_accept(places):
    org, refurbisher = make_refurbisher()
    offer, _secret = make_offer(places["marseille"], email="donateur@exemple.org")
    lot = offer.lots.get()
    client = _client(refurbisher)
    assert client.get(f"/dons/atelier/offres/{offer.pk}/").status_code == 404
    response = client.post(f"/dons/atelier/lots/{lot.pk}/accepter/", {"refurbisher": org.pk})
    assert response.status_code == 404
    _assert_untouched(lot)


def test_accept_for_a_structure_whose_area_does_not_hold_the_offer_is_refused_in_french(places):
    nantes_org, refurbisher = make_refurbisher("Atelier de Nantes")
    marseille_org, _other = make_refurbisher("Atelier de Marseille", commune=places["marseille"])
    marseille_org.memberships.create(user=refurbisher, role=Role.REFURBISHER)
    offer, _secret = make_offer(places["saint_nazaire"])
    lot = offer.lots.get()
    client = _client(refurbisher)
    page = client.get(f"/dons/atelier/offres/{offer.pk}/").content.decode()
    assert "Accepter ce lot" in page
    assert "Atelier de Marseille" not in page  # only structures whose area holds the offer
    response = client.post(
        f"/dons/atelier/lots/{lot.pk}/accepter/", {"refurbisher": marseille_org.pk}, follow=True
    )
    assert response.redirect_chain[-1][0] == f"/dons/atelier/offres/{offer.pk}/"
    assert "hors de la zone d&#x27;intervention" in response.content.decode()
    _assert_untouched(lot)


def test_workshop_lists_only_offers_within_the_area_and_says_which(places):
    _org, refurbisher = make_refurbisher()
    near, _s = make_offer(places["saint_nazaire"])
    far, _s = make_offer(places["marseille"])
    page = _client(refurbisher).get("/dons/atelier/").content.decode()
    assert f"/dons/atelier/offres/{near.pk}/" in page
    assert f"/dons/atelier/offres/{far.pk}/" not in page
    assert "Vous voyez les dons situés à moins de 80 km de votre atelier (Nantes)" in page


def test_new_offer_notice_goes_only_to_refurbishers_whose_area_holds_it(
    places, django_capture_on_commit_callbacks
):
    _near_org, near = make_refurbisher("Atelier de Nantes")
    _far_org, far = make_refurbisher("Atelier de Marseille", commune=places["marseille"])
    _nowhere_org, nowhere = make_refurbisher("Atelier sans adresse", commune=None)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        make_offer(places["saint_nazaire"], email="donateur@exemple.org")
    notices = [m for m in mail.outbox if "près de chez vous" in m.subject]
    assert [m.to for m in notices] == [[near.email]]
    assert "Saint-Nazaire" in notices[0].body
    assert not any(s in notices[0].body for s in DONOR_PRIVATE)
    assert not any(u.email in m.to for m in mail.outbox for u in (far, nowhere))


# --- setting the area ------------------------------------------------------------------------
def test_refurbisher_sets_a_wider_radius_from_the_workshop_page(places):
    from ressourcerie.donations.models import AreaKind, ServiceArea

    org, refurbisher = make_refurbisher()
    rennes_offer, _s = make_offer(places["rennes"])
    client = _client(refurbisher)
    assert (
        f"/dons/atelier/offres/{rennes_offer.pk}/"
        not in client.get("/dons/atelier/").content.decode()
    )
    response = client.post(
        "/dons/atelier/zone/", {"structure": org.pk, "kind": "rayon", "radius_km": "120"}
    )
    assert response.status_code == 302
    area = ServiceArea.objects.get(organisation=org)
    assert (area.kind, area.radius_km, area.updated_by) == (AreaKind.RADIUS, 120, refurbisher)
    page = client.get(response["Location"]).content.decode()
    assert "Vous voyez les dons situés à moins de 120 km de votre atelier (Nantes)" in page
    assert f"/dons/atelier/offres/{rennes_offer.pk}/" in page
    lot = rennes_offer.lots.get()
    services.transition_lot(
        lot=lot, to_status=LotStatus.ACCEPTED, actor=refurbisher, refurbisher=org
    )
    assert Lot.objects.get(pk=lot.pk).refurbisher == org


def test_department_area_holds_the_workshops_department_only(places):
    from ressourcerie.donations.models import AreaKind, ServiceArea

    org, refurbisher = make_refurbisher()
    same_department, _s = make_offer(places["saint_nazaire"])
    next_department, _s = make_offer(places["la_roche"])  # 63 km, in Vendée
    client = _client(refurbisher)
    page = client.get("/dons/atelier/").content.decode()
    assert f"/dons/atelier/offres/{next_department.pk}/" in page  # inside 80 km
    response = client.post("/dons/atelier/zone/", {"structure": org.pk, "kind": "departements"})
    assert response.status_code == 302
    assert ServiceArea.objects.get(organisation=org).kind == AreaKind.DEPARTMENTS
    page = client.get(response["Location"]).content.decode()
    assert (
        "Vous voyez les dons situés dans le département de votre atelier : Loire-Atlantique (44)"
        in page
    )
    assert f"/dons/atelier/offres/{same_department.pk}/" in page
    assert f"/dons/atelier/offres/{next_department.pk}/" not in page
    assert client.get(f"/dons/atelier/offres/{next_department.pk}/").status_code == 404
    lot = next_department.lots.get()
    with pytest.raises(services.DonationError) as refusal:
        services.transition_lot(
            lot=lot, to_status=LotStatus.ACCEPTED, actor=refurbisher, refurbisher=org
        )
    assert "Loire-Atlantique (44)" in refusal.value.message
    _assert_untouched(lot)


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "rayon", "radius_km": "1000"},
        {"kind": "rayon", "radius_km": "0"},
        {"kind": "rayon", "radius_km": "abc"},
        {"kind": "rayon", "radius_km": ""},
        {"kind": "partout", "radius_km": "80"},
    ],
)
def test_area_form_refuses_bad_input_in_french_and_keeps_it(places, data):
    from ressourcerie.donations.models import ServiceArea

    org, refurbisher = make_refurbisher()
    response = _client(refurbisher).post("/dons/atelier/zone/", {"structure": org.pk, **data})
    assert response.status_code == 400
    body = response.content.decode()
    if data["kind"] == "rayon":
        assert "Indiquez une distance entre 5 et 200 km" in body
        assert f'name="radius_km" value="{data["radius_km"]}"' in body or not data["radius_km"]
    else:
        assert "Choisissez" in body
    assert "Vous voyez les dons situés à moins de 80 km" in body  # the area is unchanged
    assert not ServiceArea.objects.filter(organisation=org).exists()


def test_area_of_someone_elses_structure_cannot_be_set(places):
    from ressourcerie.donations.models import ServiceArea

    _mine, refurbisher = make_refurbisher()
    theirs, _other = make_refurbisher("Autre atelier")
    response = _client(refurbisher).post(
        "/dons/atelier/zone/", {"structure": theirs.pk, "kind": "rayon", "radius_km": "200"}
    )
    assert response.status_code == 400
    assert not ServiceArea.objects.filter(organisation=theirs).exists()
    with pytest.raises(services.DonationError):
        services.set_service_area(
            organisation=theirs, actor=refurbisher, kind="rayon", radius_km=200
        )
    assert not ServiceArea.objects.filter(organisation=theirs).exists()
    anonymous = Client().post("/dons/atelier/zone/", {"kind": "rayon", "radius_km": "200"})
    assert anonymous.status_code == 302 and "/compte/" in anonymous["Location"]
    stranger = _client(UserFactory()).post("/dons/atelier/zone/", {"kind": "rayon"})
    assert stranger.status_code == 403


# --- the donor's contacts --------------------------------------------------------------------
def test_donor_contacts_appear_only_to_the_accepting_refurbisher_and_staff(places):
    first_org, first = make_refurbisher("Premier atelier")
    _second_org, second = make_refurbisher("Second atelier")
    offer, _secret = make_offer(
        places["saint_nazaire"],
        kind="individual",
        name="Jeanne Particulière",
        email="donateur@exemple.org",
        lots=2,
    )
    private = (*DONOR_PRIVATE, "Jeanne Particulière")
    offer_page = f"/dons/atelier/offres/{offer.pk}/"
    for user in (first, second):
        body = _client(user).get(offer_page).content.decode()
        assert "Accepter ce lot" in body
        assert not any(s in body for s in private), user
    staff_body = _client(StaffFactory()).get(offer_page).content.decode()
    assert all(s in staff_body for s in private)

    lot, other_lot = offer.lots.order_by("pk")
    services.transition_lot(
        lot=lot, to_status=LotStatus.ACCEPTED, actor=first, refurbisher=first_org
    )
    for path in (offer_page, f"/dons/atelier/lots/{lot.pk}/"):
        body = _client(first).get(path).content.decode()
        assert all(s in body for s in private), path
    # The second refurbisher may still take the other lot, without the donor's contacts.
    body = _client(second).get(offer_page).content.decode()
    assert f"/dons/atelier/lots/{other_lot.pk}/accepter/" in body
    assert not any(s in body for s in private)
    assert _client(second).get(f"/dons/atelier/lots/{lot.pk}/").status_code == 404
    workshop = _client(second).get("/dons/atelier/").content.decode()
    assert not any(s in workshop for s in private)


def test_api_and_exports_do_not_leak_donor_contacts(places, client):
    org, refurbisher = make_refurbisher()
    _far_org, far = make_refurbisher("Atelier de Marseille", commune=places["marseille"])
    offer, _secret = make_offer(places["saint_nazaire"], email="donateur@exemple.org")
    lot = offer.lots.get()
    for status, extra in (
        (LotStatus.ACCEPTED, {"refurbisher": org}),
        (LotStatus.COLLECTED, {}),
        (LotStatus.ERASED, {"erasure_method": "nwipe", "erasure_certificate": "C-1"}),
        (LotStatus.RECYCLED, {"reused": 0, "recycled": 5}),
    ):
        services.transition_lot(lot=lot, to_status=status, actor=refurbisher, **extra)
    far_headers = bearer(make_token(far))
    assert client.get("/api/v1/donations/lots", **far_headers).json()["count"] == 0
    assert client.get(f"/api/v1/donations/lots/{lot.pk}", **far_headers).status_code == 404
    headers = bearer(make_token(refurbisher))
    own = client.get("/api/v1/donations/lots", **headers)
    assert own.json()["count"] == 1
    public = [
        own.content.decode(),
        client.get(f"/api/v1/donations/lots/{lot.pk}", **headers).content.decode(),
        client.get("/api/v1/donations/impact").content.decode(),
        client.get("/dons/impact.csv").content.decode(),
        client.get("/dons/impact/").content.decode(),
    ]
    for body in public:
        assert not any(s in body for s in (*DONOR_PRIVATE, "Société Exemple")), body[:200]
