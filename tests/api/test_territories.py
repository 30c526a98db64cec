import pytest

from tests.api.conftest import assert_error
from tests.factories import CommuneFactory, DepartmentFactory, RegionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def communes():
    nantes = CommuneFactory()
    saint_nazaire = CommuneFactory(
        insee="44184",
        name="Saint-Nazaire",
        search_name="st nazaire",
        postal_codes="44600",
        population=72000,
        latitude=47.28,
        longitude=-2.25,
    )
    return nantes, saint_nazaire


def test_finds_a_commune_by_name_with_every_public_field(client, communes):
    response = client.get("/api/v1/communes", {"q": "nantes"})
    assert response.status_code == 200
    data = response.json()
    assert data["exact"] is True
    assert data["suggestions"] == []
    assert data["results"] == [
        {
            "insee": "44109",
            "name": "Nantes",
            "department": {"code": "44", "name": "Loire-Atlantique"},
            "postal_codes": ["44000", "44100", "44200", "44300"],
            "population": 320732,
            "latitude": 47.2316,
            "longitude": -1.5483,
        }
    ]


def test_finds_a_commune_by_postal_code_and_abbreviated_name(client, communes):
    assert client.get("/api/v1/communes", {"q": "44600"}).json()["results"][0]["insee"] == "44184"
    data = client.get("/api/v1/communes", {"q": "st nazaire"}).json()
    assert [c["name"] for c in data["results"]] == ["Saint-Nazaire"]


def test_suggests_close_spellings_when_nothing_matches(client, communes):
    data = client.get("/api/v1/communes", {"q": "Nantte"}).json()
    assert data["results"] == []
    assert data["exact"] is False
    assert [c["name"] for c in data["suggestions"]] == ["Nantes"]


def test_requires_the_query_text(client):
    error = assert_error(client.get("/api/v1/communes"), 400, "validation_error")
    assert error["details"] == {"q": ["Ce champ est obligatoire."]}


def test_gets_a_commune_by_insee_code(client, communes):
    response = client.get("/api/v1/communes/44184")
    assert response.status_code == 200
    assert response.json()["name"] == "Saint-Nazaire"


def test_unknown_insee_code_is_a_json_404(client, communes):
    error = assert_error(client.get("/api/v1/communes/99999"), 404, "not_found")
    assert "INSEE" in error["message"]


def test_malformed_insee_code_is_a_field_error(client):
    error = assert_error(client.get("/api/v1/communes/abc"), 400)
    assert "insee" in error["details"]


def test_lists_departments_with_their_region(client):
    DepartmentFactory()
    DepartmentFactory(code="85", name="Vendée")
    data = client.get("/api/v1/departements").json()
    assert data["count"] == 2
    assert data["next"] is None and data["previous"] is None
    assert data["results"][1] == {
        "code": "85",
        "name": "Vendée",
        "region": {"code": "52", "name": "Pays de la Loire"},
    }


def test_lists_regions(client):
    RegionFactory()
    RegionFactory(code="53", name="Bretagne")
    data = client.get("/api/v1/regions").json()
    assert [r["name"] for r in data["results"]] == ["Bretagne", "Pays de la Loire"]
