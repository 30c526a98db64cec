import pytest

from ressourcerie.directory.geo import haversine_km
from ressourcerie.directory.importers import import_file

from .conftest import CHARENTE
from .factories import PlaceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("gazetteer")]


@pytest.fixture
def charente():
    assert import_file(data=CHARENTE.read_bytes(), file_name=CHARENTE.name).applied


def test_near_16000_lists_angouleme_places_first_with_correct_distances(client, charente):
    body = client.get("/api/v1/places?code_postal=16000&limit=10").json()
    assert body["origin"]["label"] == "Angoulême (16)"
    results = body["results"]
    assert len(results) == 10
    distances = [r["distance_km"] for r in results]
    assert distances == sorted(distances)
    assert results[0]["commune"].lower().startswith("angoul")
    assert distances[0] < 3
    origin = body["origin"]
    for r in results:
        expected = haversine_km(
            origin["latitude"], origin["longitude"], r["latitude"], r["longitude"]
        )
        assert r["distance_km"] == pytest.approx(expected, abs=0.01)


def test_near_coordinates_and_commune_name(client, charente):
    by_name = client.get("/api/v1/places?commune=Cognac&limit=3").json()
    assert by_name["results"][0]["commune"].lower() == "cognac"
    by_coords = client.get("/api/v1/places?lat=45.6484&lon=0.1562&limit=2").json()
    assert by_coords["count"] == 2


def test_unknown_commune_gives_close_spellings(client, charente):
    response = client.get("/api/v1/places?commune=Angoulèmme")
    assert response.status_code == 404
    assert "Angoulême" in response.json()["error"]["details"]["suggestions"]


def test_filters_and_detail(client):
    PlaceFactory(slug="libre", kinds=",hebergeur_libre,", association_support=",rgpd,")
    PlaceFactory(slug="autre")
    body = client.get("/api/v1/places?lat=45.6&lon=0.15&support=rgpd").json()
    assert [r["slug"] for r in body["results"]] == ["libre"]
    body = client.get("/api/v1/places?lat=45.6&lon=0.15&kind=hebergeur_libre").json()
    assert body["count"] == 1
    detail = client.get("/api/v1/places/libre").json()
    assert detail["association_support"] == ["rgpd"]
    assert client.get("/api/v1/places/absent").status_code == 404


def test_lat_without_lon_is_a_field_error(client):
    assert client.get("/api/v1/places?lat=45").status_code == 422  # fits the document
