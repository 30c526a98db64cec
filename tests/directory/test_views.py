from datetime import datetime

import pytest

from ressourcerie.core.models import ModerationStatus
from ressourcerie.directory.importers import import_file
from ressourcerie.directory.models import PlaceReport
from ressourcerie.directory.opening_hours import PARIS, parse
from tests.factories import StaffFactory, UserFactory

from .conftest import CHARENTE
from .factories import PlaceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("gazetteer")]


def test_near_16000_page_lists_angouleme_first_with_distance(client):
    import_file(data=CHARENTE.read_bytes(), file_name=CHARENTE.name)
    html = client.get("/acteurs/", {"q": "16000"}).content.decode()
    assert "Près d'Angoulême (16)" in html
    first = html.index('<li class="card">')
    assert "16000" in html[first : first + 600]
    assert "à 0,2 km" in html


def test_unknown_commune_proposes_close_spellings(client):
    html = client.get("/acteurs/", {"q": "Angoulemme"}).content.decode()
    assert "Nous ne trouvons pas de commune" in html
    assert "Angoulême (Charente, 16)" in html


def test_near_my_position_and_filters(client):
    PlaceFactory(slug="gratuit-rgpd", association_support=",rgpd,")
    PlaceFactory(slug="autre", fees=",payant,")
    html = client.get(
        "/acteurs/", {"lat": "45.6", "lon": "0.15", "accompagnement": "rgpd", "gratuit": "on"}
    ).content.decode()
    assert "/acteurs/gratuit-rgpd/" in html and "/acteurs/autre/" not in html


def test_bad_input_on_near_page_is_not_a_500(client):
    response = client.get("/acteurs/", {"lat": "abc", "lon": "999", "rayon": "7"})
    assert response.status_code == 200


def test_place_page_shows_hours_table_json_ld_and_unreadable_hours(client):
    place = PlaceFactory(
        opening_hours="Mo-Fr 09:00-12:00,14:00-18:00; PH off", phone="+33545000000"
    )
    html = client.get(place.get_absolute_url()).content.decode()
    assert '<script type="application/ld+json">' in html
    assert "Lundi" in html and "09:00–\u206012:00, 14:00–\u206018:00" in html
    assert "Fermé les jours fériés" in html
    odd = PlaceFactory(opening_hours="sur rendez-vous")
    assert "Horaires non reconnus" in client.get(odd.get_absolute_url()).content.decode()
    assert client.get(f"/acteurs/{place.pk}/").status_code == 301


def test_json_ld_cannot_close_the_script_element(client):
    place = PlaceFactory(name="</script><script>alert(1)</script>")
    html = client.get(place.get_absolute_url()).content.decode()
    assert "</script><script>alert" not in html


def test_opening_hours_in_paris_time():
    week = parse("Mo-Fr 09:00-12:00,14:00-18:00; Sa 10:00-12:00; PH off")
    assert week.is_open(datetime(2025, 3, 3, 10, 30, tzinfo=PARIS))  # Monday
    assert not week.is_open(datetime(2025, 3, 3, 13, 0, tzinfo=PARIS))
    assert not week.is_open(datetime(2025, 3, 9, 11, 0, tzinfo=PARIS))  # Sunday
    assert parse("24/7").is_open(datetime(2025, 3, 9, 3, 0, tzinfo=PARIS))
    assert parse("n'importe quoi") is None


def test_report_error_goes_to_moderation(client):
    place = PlaceFactory()
    response = client.post(
        f"/acteurs/{place.slug}/signaler/", {"message": "Le lieu a fermé.", "email": ""}
    )
    assert response.status_code == 302
    report = PlaceReport.objects.get()
    assert report.moderation_status == ModerationStatus.SUBMITTED
    staff = StaffFactory()
    client.force_login(staff)
    assert "Le lieu a fermé." in client.get("/gestion/moderation/").content.decode()


def test_report_error_keeps_input_on_error(client):
    place = PlaceFactory()
    html = client.post(f"/acteurs/{place.slug}/signaler/", {"message": "", "email": "x"}).content
    assert "Saisissez une adresse" in html.decode() or "valide" in html.decode()


def test_import_page_is_staff_only_and_reports(client, tmp_path):
    client.force_login(UserFactory())
    assert client.get("/acteurs/gestion/import/").status_code == 403
    client.force_login(StaffFactory())
    with CHARENTE.open("rb") as handle:
        html = client.post("/acteurs/gestion/import/", {"file": handle}).content.decode()
    assert "188 lignes" in html and "fusionné" in html


def test_map_page_lists_places_and_serves_outlines(client):
    PlaceFactory(name="Fablab du port")
    html = client.get("/acteurs/carte/").content.decode()
    assert "Fablab du port" in html
    assert client.get("/acteurs/carte/departements.geojson").status_code == 200


def test_demo_command_imports_charente(capsys):
    from django.core.management import call_command

    call_command("load_directory_demo")
    assert "188 lignes" in capsys.readouterr().out


@pytest.mark.usefixtures("gazetteer")
def test_demo_places_near_each_demo_structure_and_run_twice(client, capsys):
    from django.core.management import call_command

    from ressourcerie.core.models import Organisation, OrganisationKind
    from ressourcerie.directory.models import Place
    from ressourcerie.directory.selectors import distance_km

    call_command("load_demo", verbosity=0)
    call_command("load_directory_demo")
    call_command("load_directory_demo")  # make run loads it at every start
    structures = Organisation.objects.filter(kind=OrganisationKind.SUPPORT_STRUCTURE)
    assert structures.count() >= 2
    for structure in structures:
        places = Place.objects.filter(organisation=structure)
        assert places.count() == 2
        for place in places:
            commune = structure.commune
            assert (
                distance_km(place.latitude, place.longitude, commune.latitude, commune.longitude)
                < 5
            )
    pana = structures.get(slug="pana-loire-atlantique")
    assert pana.commune.department.region.code == "52"  # Pays de la Loire
    client.login(email="structure@demo.ressourcerie.local", password="demo-ressourcerie")
    html = client.get("/acteurs/mes-fiches/").content.decode()
    assert "PANA Loire-Atlantique" in html and "1 modification attend" in html
    assert "Un atelier sur le RGPD" in html
