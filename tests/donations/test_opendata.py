"""Open data: /dons/impact.csv, impact by department and device type (etalab-2.0)."""

import csv
import io

import pytest

from ressourcerie.donations import services
from ressourcerie.donations.exports import FIELDS
from ressourcerie.donations.models import LotStatus
from tests.factories import CommuneFactory, DepartmentFactory

from .factories import make_offer, make_refurbisher

pytestmark = pytest.mark.django_db


def _through_outcome(lot, org, user, reused, recycled):
    steps = [
        (LotStatus.ACCEPTED, {"refurbisher": org}),
        (LotStatus.COLLECTED, {}),
        (LotStatus.ERASED, {"erasure_method": "nwipe", "erasure_certificate": "C-1"}),
        (
            LotStatus.REFURBISHED if reused else LotStatus.RECYCLED,
            {"reused": reused, "recycled": recycled},
        ),
    ]
    for status, extra in steps:
        services.transition_lot(lot=lot, to_status=status, actor=user, **extra)


def _rows(client):
    response = client.get("/dons/impact.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["X-Licence"] == "etalab-2.0"
    assert 'rel="license"' in response["Link"]
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_impact_csv_by_department_and_device_type(client):
    org, user = make_refurbisher()
    nantes = CommuneFactory()
    other = CommuneFactory(
        insee="35238",
        name="Rennes",
        search_name="rennes",
        postal_codes="35000",
        department=DepartmentFactory(code="35", name="Ille-et-Vilaine"),
    )
    laptops, _s = make_offer(nantes, quantity=5, email="a@entreprise.example")
    _through_outcome(laptops.lots.get(), org, user, 4, 1)
    phones, _s = make_offer(other, quantity=3, device_type="smartphone", email="b@x.example")
    _through_outcome(phones.lots.get(), org, user, 0, 3)
    screens, _s = make_offer(other, quantity=2, device_type="ecran", email="c@x.example")
    _through_outcome(screens.lots.get(), org, user, 2, 0)
    make_offer(nantes, quantity=9, email="d@entreprise.example")  # still proposed: not counted

    rows = _rows(client)
    assert list(rows[0].keys()) == FIELDS
    table = {(r["departement_code"], r["type_appareil"]): r for r in rows}
    assert set(table) == {("44", "portable"), ("35", "smartphone"), ("35", "ecran")}
    assert table["44", "portable"] == {
        "departement_code": "44",
        "departement": "Loire-Atlantique",
        "type_appareil": "portable",
        "type_appareil_libelle": "Ordinateur portable",
        "appareils_reemployes": "4",
        "appareils_recycles": "1",
        "facteur_kg_co2e_par_appareil": "54.9",
        "kg_co2e_evites": "219.6",
    }
    assert table["35", "smartphone"]["appareils_reemployes"] == "0"
    assert table["35", "smartphone"]["kg_co2e_evites"] == "0.0"
    assert table["35", "ecran"]["kg_co2e_evites"] == ""  # no published factor: not converted
    assert table["35", "ecran"]["facteur_kg_co2e_par_appareil"] == ""


def test_impact_csv_neutralises_formulas(client):
    org, user = make_refurbisher()
    department = DepartmentFactory(code="97", name='=HYPERLINK("http://evil.example","x")')
    commune = CommuneFactory(
        insee="97101", name="-Commune", search_name="commune", department=department
    )
    offer, _s = make_offer(commune, quantity=2)
    _through_outcome(offer.lots.get(), org, user, 2, 0)
    (row,) = _rows(client)
    assert row["departement"] == '\'=HYPERLINK("http://evil.example","x")'
    assert row["appareils_reemployes"] == "2"


def test_impact_csv_is_empty_but_valid_without_data(client):
    response = client.get("/dons/impact.csv")
    assert response.content.decode() == ",".join(FIELDS) + "\r\n"


def test_impact_page_links_to_the_csv(client):
    assert "/dons/impact.csv" in client.get("/dons/impact/").content.decode()
