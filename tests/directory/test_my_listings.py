"""Support structures find their listings: "Mes fiches", the opening-hours grid, the banner
while an edit awaits the team, no "toujours à jour" over one's own pending edit."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ressourcerie.accounts.models import Role
from ressourcerie.core.models import ModerationStatus, OrganisationKind
from ressourcerie.core.navigation import account_entries
from ressourcerie.directory import services
from ressourcerie.directory.hours_editor import grid_from_value, value_from_spans
from ressourcerie.directory.models import ContactMessage, PlaceClaim, PlaceEdit
from tests.factories import MembershipFactory, OrganisationFactory, StaffFactory, UserFactory

from .factories import PlaceFactory
from .test_freshness import _edit_payload

pytestmark = pytest.mark.django_db


def _structure_with_editor():
    structure = OrganisationFactory(kind=OrganisationKind.SUPPORT_STRUCTURE, name="PANA 44")
    editor = UserFactory()
    MembershipFactory(user=editor, organisation=structure, role=Role.EDITOR)
    return structure, editor


def _grid(**cells):
    data = {"hours_grid_grid": "1"}
    data.update({f"hours_grid_{k}": v for k, v in cells.items()})
    return data


def test_my_listings_shows_freshness_pending_edits_and_messages(client):
    structure, editor = _structure_with_editor()
    fresh = PlaceFactory(name="Cyber-base du port", organisation=structure)
    old = PlaceFactory(name="Relais du bourg", organisation=structure)
    old.confirmed_at = timezone.now() - timedelta(days=400)
    old.save()
    services.propose_place_edit(place=fresh, user=editor, data={"name": "Cyber-base du Port"})
    association = OrganisationFactory(name="Les Crampons")
    ContactMessage.objects.create(
        place=fresh,
        sender=UserFactory(),
        organisation=association,
        subject="Un atelier RGPD ?",
        body="Bonjour",
    )
    PlaceFactory(name="Lieu d'une autre structure")
    PlaceClaim.objects.create(place=PlaceFactory(name="Médiathèque"), user=editor)
    client.force_login(editor)
    html = client.get("/acteurs/mes-fiches/").content.decode()
    assert "PANA 44" in html and "Cyber-base du port" in html and "Relais du bourg" in html
    assert "Lieu d&#x27;une autre structure" not in html
    assert "1 modification attend la relecture" in html
    assert "« Un atelier RGPD ? » (Les Crampons)" in html
    assert "À confirmer : dernière confirmation" in html
    assert "Médiathèque" in html  # the pending claim


def test_my_listings_without_structure_says_how_to_start(client):
    client.force_login(UserFactory())
    html = client.get("/acteurs/mes-fiches/").content.decode()
    assert "Vous ne gérez encore aucune fiche." in html
    assert client.get("/acteurs/mes-fiches/", follow=False).status_code == 200
    client.logout()
    assert client.get("/acteurs/mes-fiches/").status_code == 302


def test_my_listings_is_an_account_entry_and_linked_from_the_place_page(client):
    assert "directory:mine" in [e.url_name for e in account_entries()]
    structure, editor = _structure_with_editor()
    place = PlaceFactory(organisation=structure)
    client.force_login(editor)
    assert 'href="/acteurs/mes-fiches/"' in client.get(place.get_absolute_url()).content.decode()


def test_structure_tag_links_editors_to_my_listings(rf):
    from django.template import Context, Template

    structure, editor = _structure_with_editor()
    PlaceFactory(organisation=structure)
    request = rf.get("/")
    request.user = editor
    template = Template("{% load directory_tags %}{% directory_listings_for org %}")
    html = template.render(Context({"org": structure, "request": request}))
    assert "gère 1 fiche" in html and "/acteurs/mes-fiches/" in html
    request.user = UserFactory()
    assert "/acteurs/mes-fiches/" not in template.render(
        Context({"org": structure, "request": request})
    )


def test_hours_grid_generates_the_osm_value():
    week = {d: [(540, 720), (840, 1080)] for d in range(5)}
    week[5] = [(600, 720)]
    assert (
        value_from_spans(week, ph_off=True)
        == "Mo-Fr 09:00-12:00,14:00-18:00; Sa 10:00-12:00; PH off"
    )
    assert value_from_spans({0: [(540, 720)], 2: [(540, 720)]}, ph_off=False) == (
        "Mo 09:00-12:00; We 09:00-12:00"
    )
    assert grid_from_value("Mo-Fr 09:00-12:00,14:00-18:00; PH off")["4_1_end"] == "18:00"
    assert grid_from_value("Mo 08:00-09:00,10:00-11:00,12:00-13:00") is None
    assert grid_from_value("sur rendez-vous") is None


def test_editor_fills_the_hours_grid_without_typing_osm(client):
    structure, editor = _structure_with_editor()
    place = PlaceFactory(organisation=structure, opening_hours="")
    client.force_login(editor)
    page = client.get(f"/acteurs/{place.slug}/modifier/").content.decode()
    assert 'type="time" name="hours_grid_0_0_start"' in page
    cells = {f"{d}_0_start": "09:00" for d in range(5)}
    cells.update({f"{d}_0_end": "12:00" for d in range(5)})
    cells.update({"5_0_start": "10:00", "5_0_end": "12:00", "ph_off": "on"})
    response = client.post(
        f"/acteurs/{place.slug}/modifier/", {**_edit_payload(place), **_grid(**cells)}, follow=True
    )
    edit = PlaceEdit.objects.get()
    assert edit.changes["opening_hours"] == "Mo-Fr 09:00-12:00; Sa 10:00-12:00; PH off"
    assert "Mo-Fr 09:00-12:00; Sa 10:00-12:00; PH off" in response.content.decode()


def test_hours_grid_errors_are_french_and_keep_what_was_typed(client):
    structure, editor = _structure_with_editor()
    place = PlaceFactory(organisation=structure, opening_hours="")
    client.force_login(editor)
    response = client.post(
        f"/acteurs/{place.slug}/modifier/",
        {**_edit_payload(place), **_grid(**{"0_0_start": "12:00", "0_0_end": "09:00"})},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Lundi : la fermeture (09:00) doit suivre l&#x27;ouverture (12:00)." in html
    assert 'name="hours_grid_0_0_start" value="12:00"' in html
    assert not PlaceEdit.objects.exists()


def test_typed_osm_value_still_wins_over_an_untouched_grid(client):
    structure, editor = _structure_with_editor()
    place = PlaceFactory(organisation=structure, opening_hours="Mo 09:00-12:00")
    client.force_login(editor)
    cells = {"0_0_start": "09:00", "0_0_end": "12:00"}  # the grid as shown, untouched
    client.post(
        f"/acteurs/{place.slug}/modifier/",
        {**_edit_payload(place, opening_hours="Tu 14:00-17:00"), **_grid(**cells)},
    )
    assert PlaceEdit.objects.get().changes["opening_hours"] == "Tu 14:00-17:00"


def test_grid_of_unfitting_hours_left_empty_keeps_them(client):
    structure, editor = _structure_with_editor()
    hours = "Mo 08:00-09:00,10:00-11:00,12:00-13:00"
    place = PlaceFactory(organisation=structure, opening_hours=hours)
    client.force_login(editor)
    client.post(
        f"/acteurs/{place.slug}/modifier/", {**_edit_payload(place, name="Autre"), **_grid()}
    )
    assert "opening_hours" not in PlaceEdit.objects.get().changes


def test_banner_and_no_still_current_while_own_edit_pending(client):
    structure, editor = _structure_with_editor()
    place = PlaceFactory(organisation=structure)
    client.force_login(editor)
    html = client.get(place.get_absolute_url()).content.decode()
    assert "Confirmer qu" in html
    services.propose_place_edit(place=place, user=editor, data={"name": "Nouveau nom"})
    html = client.get(place.get_absolute_url()).content.decode()
    assert "attend la relecture de l'équipe" in html
    assert "Confirmer qu" not in html
    response = client.post(f"/acteurs/{place.slug}/a-jour/", follow=True)
    place.refresh_from_db()
    assert place.confirmed_at is None
    assert "attend la relecture" in response.content.decode()
    # A visitor sees no banner.
    client.force_login(UserFactory())
    assert "attend la relecture" not in client.get(place.get_absolute_url()).content.decode()


def test_still_current_offered_again_once_the_edit_is_decided(client):
    from ressourcerie.core import moderation

    structure, editor = _structure_with_editor()
    place = PlaceFactory(organisation=structure)
    edit = services.propose_place_edit(place=place, user=editor, data={"name": "Nouveau"})
    moderation.transition(obj=edit, to_status=ModerationStatus.PUBLISHED, actor=StaffFactory())
    client.force_login(editor)
    assert (
        "Confirmer qu"
        in client.get(
            place.get_absolute_url() if False else f"/acteurs/{place.slug}/"
        ).content.decode()
    )
