"""The directory's journeys without dead ends (issue #18, items 4, 6, 8, 10, 11; issue #19
item 2), in Chromium: a visitor near a commune far from any place, an ambiguous commune, a
search emptied by its filters; a support structure's editor finding "Mes fiches" and writing
opening hours as days and times; the map at national scale, with and without JavaScript."""

import random

from ressourcerie.accounts.models import Membership, Role
from ressourcerie.core.models import OrganisationKind
from ressourcerie.directory.models import Place
from tests.directory.factories import PlaceFactory
from tests.factories import (
    CommuneFactory,
    DepartmentFactory,
    OrganisationFactory,
    RegionFactory,
    UserFactory,
)


def _main(page) -> str:
    return page.locator("main").inner_text()


def _communes():
    """Two Saint-Denis outside the instance's region (so neither is obviously meant), Paris,
    and Angoulême, a prefecture."""
    idf = RegionFactory(code="11", name="Île-de-France")
    reunion = RegionFactory(code="04", name="La Réunion")
    CommuneFactory(
        insee="93066",
        name="Saint-Denis",
        search_name="st denis",
        postal_codes="93200",
        population=113000,
        latitude=48.9362,
        longitude=2.3574,
        department=DepartmentFactory(code="93", name="Seine-Saint-Denis", region=idf),
    )
    CommuneFactory(
        insee="97411",
        name="Saint-Denis",
        search_name="st denis",
        postal_codes="97400",
        population=153000,
        latitude=-20.8821,
        longitude=55.4507,
        department=DepartmentFactory(code="974", name="La Réunion", region=reunion),
    )
    CommuneFactory(
        insee="75056",
        name="Paris",
        search_name="paris",
        postal_codes="75001",
        population=2100000,
        latitude=48.8566,
        longitude=2.3522,
        department=DepartmentFactory(code="75", name="Paris", region=idf),
    )
    CommuneFactory(
        insee="16015", name="Angoulême", search_name="angouleme", postal_codes="16000",
        population=41000, latitude=45.6484, longitude=0.1562,
        department=DepartmentFactory(code="16", name="Charente"),
    )  # fmt: skip


def test_visitor_near_a_far_commune_and_an_ambiguous_one_without_javascript(
    live_server, no_js_context
):
    _communes()
    PlaceFactory(name="Fablab de Saint-Nazaire", latitude=47.27, longitude=-2.21, fees=",payant,")
    page = no_js_context().new_page()
    page.goto(live_server.url + "/acteurs/")
    assert not page.get_by_role("button", name="Utiliser ma position").is_visible()

    page.get_by_label("Commune ou code postal").fill("Saint-Denis")
    page.get_by_role("button", name="Chercher", exact=True).click()
    assert "Plusieurs communes correspondent" in _main(page)
    page.get_by_label("Saint-Denis (Seine-Saint-Denis, 93)").check()
    page.get_by_role("button", name="Chercher", exact=True).click()
    text = _main(page)
    assert "Près de Saint-Denis (93)" in text
    assert "Aucun lieu à moins de 50 km — voici les plus proches." in text
    assert "Fablab de Saint-Nazaire" in text

    page.goto(live_server.url + "/acteurs/?q=Paris&gratuit=on")
    text = _main(page)
    assert "Aucun lieu ne correspond à ces critères" in text
    page.get_by_role("link", name="Sans « Gratuit »").click()
    assert "Fablab de Saint-Nazaire" in _main(page)


def test_place_page_offers_an_itinerary_link_loading_nothing_until_clicked(
    live_server, new_context
):
    place = PlaceFactory(name="Médiathèque", latitude=45.64841, longitude=0.15621)
    page = new_context().new_page()
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(live_server.url + place.get_absolute_url())
    link = page.get_by_role("link", name="Itinéraire sur OpenStreetMap")
    assert link.get_attribute("href").startswith("https://www.openstreetmap.org/directions")
    assert "latitude" not in _main(page)
    assert all(url.startswith(live_server.url) for url in requested)
    assert page.get_by_role("button", name="Utiliser ma position").count() == 0


def test_editor_finds_my_listings_and_writes_hours_as_days_and_times_without_javascript(
    live_server, no_js_context
):
    structure = OrganisationFactory(
        kind=OrganisationKind.SUPPORT_STRUCTURE, name="PANA Loire-Atlantique", slug="pana-44"
    )
    editor = UserFactory()
    Membership.objects.create(user=editor, organisation=structure, role=Role.EDITOR)
    place = PlaceFactory(name="Espace numérique associatif", organisation=structure)
    page = no_js_context(user=editor).new_page()
    page.goto(live_server.url + "/compte/")
    page.get_by_role("link", name="Mes fiches").click()
    assert "Espace numérique associatif" in _main(page)
    assert "Aucune modification en attente." in _main(page)
    page.get_by_role("link", name="Modifier Espace numérique associatif").click()
    for day in ("Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi"):
        page.get_by_label(f"{day}, matin, début").fill("09:00")
        page.get_by_label(f"{day}, matin, fin").fill("12:30")
    page.get_by_label("Samedi, matin, début").fill("10:00")
    page.get_by_label("Samedi, matin, fin").fill("12:00")
    page.get_by_label("Fermé les jours fériés").check()
    page.get_by_role("button", name="Envoyer les modifications").click()
    text = _main(page)
    assert "« Mo-Fr 09:00-12:30; Sa 10:00-12:00; PH off »" in text
    assert "attend la relecture de l'équipe" in text
    assert page.get_by_role("button", name="Confirmer qu'elle est à jour").count() == 0
    page.get_by_role("link", name="Mes fiches").click()
    assert "1 modification attend la relecture" in _main(page)
    place.refresh_from_db()
    assert place.opening_hours == ""  # the team has not read it yet


def _spread(count):
    rng = random.Random(5)
    Place.objects.bulk_create(
        Place(
            slug=f"lieu-{i}",
            name=f"Espace {i}",
            commune_name="Commune",
            postal_code="16000",
            address="1 rue",
            latitude=rng.uniform(44.5, 46.5),
            longitude=rng.uniform(-0.5, 1.5),
        )
        for i in range(count)
    )


def test_map_draws_server_clusters_then_places_and_town_names(live_server, new_context):
    _communes()
    _spread(1500)
    page = new_context().new_page()
    page.goto(live_server.url + "/acteurs/carte/")
    page.wait_for_selector("[data-map][data-features]")
    clusters = page.locator(".map-cluster")
    assert clusters.count() >= 2
    total = sum(int(c.inner_text().replace("\u202f", "").replace(" ", "")) for c in clusters.all())
    assert total == 1500
    assert page.locator("[data-map-note]").is_visible()
    page.evaluate("document.querySelector('[data-map]').removeAttribute('data-features')")
    # Zoom on Angoulême: its name shows, and places replace clusters.
    page.locator(".leaflet-control-zoom-in").click()
    page.locator(".leaflet-control-zoom-in").click()
    page.locator(".map-label-prefecture", has_text="Angoulême").wait_for()


def test_map_page_without_javascript_is_the_list_and_says_nothing_of_a_map(
    live_server, no_js_context
):
    _spread(60)
    page = no_js_context().new_page()
    page.goto(live_server.url + "/acteurs/carte/")
    text = _main(page)
    assert "La liste sous la carte" not in text
    assert "60 lieux, par ordre alphabétique" in text
    assert page.locator(".directory-list li").count() == 50
    page.get_by_role("link", name="Suivante").click()
    assert page.locator(".directory-list li").count() == 10
