"""Near me says what it found: nothing within the radius is said before the nearest are
shown, an empty filtered search offers to drop each filter with what it would find, an
ambiguous commune is asked about, French elides "de", the place page links to an itinerary."""

from datetime import date

import pytest
from django.test import override_settings

from ressourcerie.directory.french import de
from ressourcerie.directory.importers import import_file
from ressourcerie.directory.parsing import normalise
from ressourcerie.directory.registrations import support_near
from tests.factories import StaffFactory

from .conftest import CHARENTE
from .factories import PlaceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("gazetteer")]

SAINT_NAZAIRE = {"latitude": 47.2735, "longitude": -2.2138, "commune_name": "Saint-Nazaire"}


def _html(client, **params):
    return client.get("/acteurs/", params).content.decode()


def test_paris_with_places_only_far_away_says_none_within_the_radius(client):
    PlaceFactory(name="Fablab de Saint-Nazaire", **SAINT_NAZAIRE)
    html = _html(client, q="Paris")
    assert "Aucun lieu à moins de 50 km — voici les plus proches." in html
    assert "Fablab de Saint-Nazaire" in html


@override_settings(DIRECTORY_NEAR_RADIUS_KM=500)
def test_the_radius_is_a_setting(client):
    PlaceFactory(name="Fablab de Saint-Nazaire", **SAINT_NAZAIRE)
    html = _html(client, q="Paris")
    assert "Aucun lieu à moins" not in html
    assert "1 lieu à moins de 500 km" in html


def test_places_within_the_radius_are_listed_without_the_far_ones(client):
    PlaceFactory(name="Médiathèque d'Angoulême")
    PlaceFactory(name="Fablab de Saint-Nazaire", **SAINT_NAZAIRE)
    html = _html(client, q="16000")
    assert "Médiathèque d&#x27;Angoulême" in html
    assert "Fablab de Saint-Nazaire" not in html
    assert "Aucun lieu à moins" not in html


def test_empty_filtered_result_offers_to_remove_each_filter_with_its_count(client):
    PlaceFactory(name="Espace payant", fees=",payant,", kinds=",fablab,")
    PlaceFactory(name="Espace gratuit", fees=",gratuit,", kinds=",mediation,")
    html = _html(client, q="16000", gratuit="on", type="fablab")
    assert "Élargir la recherche à moins de 50 km" in html
    # Without "Gratuit": the fablab; without the kind: the free place.
    assert "Sans « Gratuit »</a> : 1 lieu" in html
    assert "Sans « Type d&#x27;acteur : Fablab »</a> : 1 lieu" in html
    assert 'href="?q=16000&amp;type=fablab"' in html


def test_ambiguous_commune_asks_which_one(client):
    response = client.get("/acteurs/", {"q": "Saint-Denis"})
    html = response.content.decode()
    assert "Plusieurs communes correspondent" in html
    assert 'name="q_choix"' in html
    assert "Saint-Denis (Seine-Saint-Denis, 93)" in html
    assert "Saint-Denis (La Réunion, 974)" in html
    PlaceFactory(name="Lieu de Saint-Denis", latitude=48.9362, longitude=2.3574)
    html = _html(client, q="Saint-Denis", q_choix="93066")
    assert "Près de Saint-Denis (93)" in html and "Lieu de Saint-Denis" in html


def test_saint_michel_is_ambiguous_too(client):
    assert "Plusieurs communes correspondent" in _html(client, q="Saint-Michel")


def test_a_postal_code_of_several_communes_needs_no_choice(client):
    html = _html(client, q="16000")
    assert "Près d'Angoulême (16)" in html
    assert "Plusieurs communes" not in html


def test_unknown_commune_suggests_close_spellings(client):
    html = _html(client, q="Angoulemme")
    assert "Vouliez-vous dire" in html and "Angoulême (Charente, 16)" in html


def test_french_elision_of_de():
    assert de("Angoulême (16)") == "d'Angoulême (16)"
    assert de("Le Mans (72)") == "du Mans (72)"
    assert de("Les Sables-d'Olonne") == "des Sables-d'Olonne"
    assert de("Paris (75)") == "de Paris (75)"
    assert de("La Rochelle") == "de La Rochelle"
    assert de("Évreux") == "d'Évreux"


def test_support_recommendation_says_a_km_d_angouleme():
    PlaceFactory(name="Point d'appui", association_support=",rgpd,")

    class Rule:
        support_code = "rgpd"

    class Context:
        department_code = "16"

    items = support_near(Rule(), Context())
    assert items and "Angoulême · à 1 km d'Angoulême." in items[0].text


def test_place_page_links_to_an_itinerary_instead_of_coordinates(client):
    place = PlaceFactory(latitude=45.64841, longitude=0.15621)
    html = client.get(place.get_absolute_url()).content.decode()
    assert "latitude 45" not in html
    assert (
        'href="https://www.openstreetmap.org/directions?route=%3B45.64841%2C0.15621'
        '#map=16/45.64841/0.15621"' in html
    )
    assert "<iframe" not in html


def test_place_page_shows_each_source_identifier_once(client):
    place = PlaceFactory()
    place.sources.create(dataset="hub.json", external_id="abc-123", is_primary=True)
    place.sources.create(dataset="region.json", external_id="abc-123")
    html = client.get(place.get_absolute_url()).content.decode()
    assert html.count("abc-123") == 1
    assert "abc-123</span> (hub.json, region.json)" in html


def test_epoch_source_date_is_no_date():
    row = normalise({"id": "1", "nom": "Lieu", "date_maj": "1970-01-01"})
    assert row.fields.get("source_updated_on") is None
    row = normalise({"id": "1", "nom": "Lieu", "date_maj": "2023-03-01"})
    assert row.fields.get("source_updated_on") == date(2023, 3, 1)


def test_geolocate_button_is_hidden_until_javascript_shows_it(client):
    html = _html(client)
    assert "data-geolocate-button hidden" in html


def test_stale_page_shows_no_epoch_date(client):
    import_file(data=CHARENTE.read_bytes(), file_name=CHARENTE.name)
    client.force_login(StaffFactory())
    pages = [client.get("/acteurs/gestion/a-verifier/", {"page": n}) for n in range(1, 9)]
    assert all("1970" not in p.content.decode() for p in pages)
