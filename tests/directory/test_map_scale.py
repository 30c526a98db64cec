"""The map at national scale: the page embeds no places; a GeoJSON endpoint answers by box
and zoom with server-side clusters at low zoom and places at high zoom; town names come
from the gazetteer."""

import csv
import json
import random

import pytest
from django.conf import settings
from django.test import override_settings

from ressourcerie.directory import mapdata
from ressourcerie.directory.models import Place

from .factories import PlaceFactory

pytestmark = pytest.mark.django_db


def _spread(count, *, seed=1):
    rng = random.Random(seed)
    Place.objects.bulk_create(
        Place(
            slug=f"lieu-{i}",
            name=f"Lieu {i}",
            commune_name="Commune",
            postal_code="16000",
            address="1 rue",
            latitude=rng.uniform(43.0, 50.5),
            longitude=rng.uniform(-1.5, 7.0),
            kinds=",fablab," if i % 2 else ",mediation,",
        )
        for i in range(count)
    )


def _get(client, **params):
    response = client.get("/acteurs/carte/lieux.geojson", params)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    return json.loads(response.content)


def test_map_page_embeds_no_place_and_lists_them_paginated(client):
    _spread(120)
    html = client.get("/acteurs/carte/").content.decode()
    assert "map-points" not in html and "Lieu 7" not in html.split("directory-list")[0]
    assert 'data-points-url="/acteurs/carte/lieux.geojson"' in html
    assert html.count('<li><a href="/acteurs/lieu-') == 50
    assert "?page=2" in html


def test_map_page_without_javascript_does_not_announce_a_map(client):
    html = client.get("/acteurs/carte/").content.decode()
    assert "data-map-note hidden>La liste sous la carte" in html


def test_low_zoom_answers_grid_clusters_that_add_up(client):
    _spread(2000)
    data = _get(client, bbox="-5.5,41,9.8,51.2", zoom=5)
    assert data["clustered"] is True
    assert 1 < len(data["features"]) <= 60
    assert sum(f["properties"]["count"] for f in data["features"]) == 2000


def test_high_zoom_answers_places_in_the_box_only(client):
    _spread(2000)
    data = _get(client, bbox="0.0,45.0,1.0,46.0", zoom=12)
    assert data["clustered"] is False
    inside = Place.objects.filter(latitude__range=(45.0, 46.0), longitude__range=(0.0, 1.0)).count()
    assert len(data["features"]) == inside
    first = data["features"][0]
    assert set(first["properties"]) == {"n", "u"}


def test_few_places_are_places_even_at_low_zoom(client):
    PlaceFactory(name="Fablab du port")
    data = _get(client, zoom=5)
    assert data["clustered"] is False
    assert data["features"][0]["properties"]["n"] == "Fablab du port"


def test_filters_apply_to_the_points(client):
    _spread(1000)
    data = _get(client, zoom=5, type="fablab")
    assert sum(f["properties"]["count"] for f in data["features"]) == 500


@pytest.mark.parametrize(
    "bbox,zoom", [("abc", "x"), ("1,2,3", "99"), ("nan,0,1,1", "-3"), ("1e999,0,1,1", "5")]
)
def test_bad_box_or_zoom_is_france_at_zoom_five(client, bbox, zoom):
    PlaceFactory()
    assert _get(client, bbox=bbox, zoom=zoom)["features"]


def test_every_prefecture_is_in_the_shipped_gazetteer():
    names = set()
    with (settings.BASE_DIR / "data" / "communes.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            names.add((row["department_code"], row["name"]))
    missing = {k: v for k, v in mapdata.PREFECTURES.items() if (k, v) not in names}
    assert not missing
    assert len(mapdata.PREFECTURES) == 101


@pytest.mark.usefixtures("gazetteer")
@override_settings(MAP_LABEL_MIN_POPULATION=100000)
def test_town_labels_are_prefectures_and_populous_towns(client):
    towns = json.loads(client.get("/acteurs/carte/villes.json").content)["towns"]
    by_name = {(t["n"], t["p"]) for t in towns}
    assert ("Guéret", 1) in by_name  # a small prefecture
    assert ("Angoulême", 1) in by_name
    assert ("Brest", 0) in by_name  # over 100,000, not a prefecture
    assert not any(t["n"] == "Cognac" for t in towns)  # neither
    assert len([t for t in towns if t["p"]]) == 101
