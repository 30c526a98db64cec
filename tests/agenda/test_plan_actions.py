"""Plan actions an event serves (#17 items 1, 3, 7 and 9): chosen in the organiser's form
among the diagnostic's actions, shown on the page, the API and the JSON-LD; events listed on
the structure, need and guide pages and under the actions of « Mon plan d'action » (near the
association); attendance shown under the action without changing its status."""

import json
import re
from datetime import timedelta
from html import unescape

import pytest
from django.test import Client
from django.utils import timezone

from ressourcerie.agenda import services
from ressourcerie.agenda.forms import EventForm
from ressourcerie.agenda.models import Attendance, AttendanceMode, Event
from ressourcerie.core.models import ModerationStatus, Organisation
from ressourcerie.diagnostic import selectors as diagnostic
from ressourcerie.diagnostic.models import PlanAction, PlanStatus
from ressourcerie.diagnostic.selectors import links
from ressourcerie.toolbox.models import Guide
from tests.factories import CommuneFactory, DepartmentFactory, MembershipFactory, UserFactory
from tests.testimonials.factories import NeedFactory

from .factories import at, make_event, make_structure
from .plan_factories import (
    BACKUP,
    WEBSITE,
    association_with_plan,
    published_questionnaire,
    title_of,
)

pytestmark = pytest.mark.django_db


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return unescape(response.content.decode())


def test_the_form_offers_the_diagnostic_actions_and_refuses_an_unknown_one():
    published_questionnaire()
    structure, editor, place = make_structure()
    client = Client()
    client.force_login(editor)
    form_page = page(client, "/agenda/nouveau/")
    choices = diagnostic.plan_action_choices()
    assert len(choices) > 5
    for key, title in choices:
        assert f'value="{key}"' in form_page and title in form_page
    day = timezone.localdate() + timedelta(days=20)
    data = {
        "organiser": structure.pk,
        "title": "Atelier sauvegardes",
        "kind": "atelier",
        "attendance_mode": "presentiel",
        "place": place.pk,
        "price": "0",
        "registration_mode": "ouverte",
        "offer_hours": "48",
        "withdrawal_hours": "24",
        "plan_actions": [BACKUP, "action-inventee"],
        "seances-TOTAL_FORMS": "1",
        "seances-INITIAL_FORMS": "0",
        "seances-MIN_NUM_FORMS": "0",
        "seances-MAX_NUM_FORMS": "20",
        "seances-0-day": day.strftime("%d/%m/%Y"),
        "seances-0-start": "14:00",
        "seances-0-end": "17:00",
    }
    refused = client.post("/agenda/nouveau/", data)
    assert refused.status_code == 200
    assert "Sélectionnez un choix valide" in unescape(refused.content.decode())
    assert 'value="Atelier sauvegardes"' in refused.content.decode()  # input kept
    assert not Event.objects.exists()
    data["plan_actions"] = [BACKUP, WEBSITE]
    assert client.post("/agenda/nouveau/", data).status_code == 302
    event = Event.objects.get()
    assert event.plan_action_keys == [BACKUP, WEBSITE]
    assert EventForm.initial_from(event)["plan_actions"] == [BACKUP, WEBSITE]


def test_page_api_and_json_ld_name_the_actions():
    published_questionnaire()
    event = make_event(plan_actions=[BACKUP])
    html = page(Client(), f"/agenda/{event.pk}/")
    assert title_of(BACKUP) in html
    data = json.loads(re.search(r'ld\+json">(.*?)</script>', html, re.S).group(1))
    assert title_of(BACKUP) in data["keywords"]
    detail = Client().get(f"/api/v1/events/{event.pk}").json()
    assert detail["plan_actions"] == [BACKUP]
    listing = Client().get("/api/v1/events").json()
    assert listing["results"][0]["plan_actions"] == [BACKUP]


def test_structure_need_and_guide_pages_list_their_upcoming_events():
    parent = NeedFactory(slug="fichiers", name="Fichiers")
    child = NeedFactory(slug="sauvegarder", name="Sauvegarder", parent=parent)
    structure, _editor, place = make_structure()
    event = make_event(structure=structure, place=place, themes=",sauvegarder,")
    make_event(
        structure=structure,
        place=place,
        title="Brouillon caché",
        themes=",sauvegarder,",
        publish=False,
    )
    guide = Guide.objects.create(
        slug="guide-sauvegarde",
        title="Sauvegarder",
        summary="Un guide.",
        body="Texte.",
        moderation_status=ModerationStatus.PUBLISHED,
    )
    guide.needs.add(child)
    client = Client()
    for url in (
        structure.get_absolute_url(),
        child.get_absolute_url(),
        parent.get_absolute_url(),  # a need lists its sub-needs' events too
        guide.get_absolute_url(),
    ):
        html = page(client, url)
        assert event.title in html, url
        assert "Brouillon caché" not in html
    other = NeedFactory(slug="compta", name="Comptabilité")
    assert "Prochains événements" not in page(client, other.get_absolute_url())
    # Over: no longer listed.
    Event.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - timedelta(days=3), ends_at=timezone.now() - timedelta(days=2)
    )
    assert event.title not in page(client, structure.get_absolute_url())


@pytest.fixture
def plan_setting(db):
    structure, _editor, place = make_structure()
    angouleme = place.commune
    gironde = DepartmentFactory(code="33", name="Gironde", region=angouleme.department.region)
    bordeaux = CommuneFactory(
        insee="33063", name="Bordeaux", latitude=44.8378, longitude=-0.5792, department=gironde
    )
    association, (member,) = association_with_plan(
        "Les Amis du Jardin",
        department=angouleme.department,
        keys=[BACKUP, WEBSITE],
        commune=angouleme,
        members=[("alice@jardin.example", False)],
    )
    near = make_event(
        structure=structure,
        place=place,
        title="Sauvegarder à Angoulême",
        plan_actions=[BACKUP],
    )
    far = make_event(
        structure=structure,
        place=None,
        address="1 cours de l'Intendance",
        commune=bordeaux,
        title="Sauvegarder à Bordeaux",
        plan_actions=[BACKUP],
    )
    online = make_event(
        structure=structure,
        place=None,
        attendance_mode=AttendanceMode.ONLINE,
        online_url="https://visio.example/salle",
        title="Sauvegarder en ligne",
        plan_actions=[BACKUP],
    )
    client = Client()
    client.force_login(member)
    return {
        "association": association,
        "member": member,
        "client": client,
        "near": near,
        "far": far,
        "online": online,
        "structure": structure,
    }


def _action_card(html, key_title) -> str:
    """The HTML of the kept action whose title is ``key_title``."""
    start = html.index(key_title)
    return html[start : html.index("</article>", start)]


def test_the_plan_lists_upcoming_events_near_the_association_under_each_action(plan_setting):
    html = page(plan_setting["client"], "/autodiagnostic/mon-plan/")
    backup = _action_card(html, title_of(BACKUP))
    assert "Sauvegarder à Angoulême" in backup
    assert "Sauvegarder en ligne" in backup and "en ligne" in backup
    assert "Sauvegarder à Bordeaux" not in html
    assert "Sauvegarder" not in _action_card(html, title_of(WEBSITE)).replace(title_of(WEBSITE), "")
    assert f'href="/agenda/{plan_setting["near"].pk}/"' in backup
    assert "Pas d'événement à venir" not in html


def test_an_association_without_events_gets_one_quiet_line(plan_setting):
    Event.objects.all().delete()
    html = page(plan_setting["client"], "/autodiagnostic/mon-plan/")
    assert html.count("Pas d'événement à venir près de l'association") == 1
    assert "Prochains événements près de l'association" not in html


def test_without_commune_the_plan_uses_the_diagnostic_department(plan_setting):
    association = plan_setting["association"]
    association.commune = None
    association.save()
    html = page(plan_setting["client"], "/autodiagnostic/mon-plan/")
    assert "Sauvegarder à Angoulême" in html
    assert "Sauvegarder à Bordeaux" not in html


def test_attendance_on_behalf_of_the_association_shows_under_the_action(plan_setting):
    event, member = plan_setting["near"], plan_setting["member"]
    association = plan_setting["association"]
    colleague = UserFactory(email="bob@jardin.example")
    MembershipFactory(user=colleague, organisation=association)
    registrations = [
        services.register(event=event, user=person, organisation=association)
        for person in (member, colleague)
    ]
    outsider = services.register(event=event, user=UserFactory())  # not on its behalf
    organiser = event.created_by
    services.set_attendance(
        event=event,
        actor=organiser,
        marks={
            registrations[0].pk: Attendance.PRESENT,
            registrations[1].pk: Attendance.ABSENT,
            outsider.pk: Attendance.PRESENT,
        },
    )
    date = timezone.localtime(event.starts_at).strftime("%d/%m/%Y")
    html = page(plan_setting["client"], "/autodiagnostic/mon-plan/")
    backup = _action_card(html, title_of(BACKUP))
    assert f"Atelier « Sauvegarder à Angoulême » suivi le {date} par 1 membre" in backup
    assert "suivi le" not in _action_card(html, title_of(WEBSITE))
    services.set_attendance(
        event=event, actor=organiser, marks={registrations[1].pk: Attendance.PRESENT}
    )
    html = page(plan_setting["client"], "/autodiagnostic/mon-plan/")
    assert f"suivi le {date} par 2 membres" in html
    # Shown, never decided for the association: the action is still « À faire ».
    action = PlanAction.objects.get(organisation=association, key=BACKUP)
    assert action.status == PlanStatus.TODO and action.status_changed_at is None


def test_a_failing_source_never_breaks_the_plan_page(plan_setting, monkeypatch, caplog):
    def broken(place, keys):
        raise RuntimeError("panne")

    sources = links._sources["upcoming"]
    monkeypatch.setitem(links._sources, "upcoming", [broken, *sources])
    html = page(plan_setting["client"], "/autodiagnostic/mon-plan/")
    assert "Sauvegarder à Angoulême" in _action_card(html, title_of(BACKUP))
    assert "Plan source" in caplog.text and "panne" in caplog.text


def test_events_start_sorted_and_at_most_three_per_action(plan_setting):
    structure = plan_setting["structure"]
    for day in (30, 31, 32, 33):
        make_event(
            structure=structure,
            place=plan_setting["near"].place,
            title=f"Atelier du jour {day}",
            plan_actions=[WEBSITE],
            sessions=[(at(day), at(day, 17))],
        )
    html = page(plan_setting["client"], "/autodiagnostic/mon-plan/")
    website = _action_card(html, title_of(WEBSITE))
    assert re.findall(r"Atelier du jour \d+", website) == [
        "Atelier du jour 30",
        "Atelier du jour 31",
        "Atelier du jour 32",
    ]


def test_without_a_published_questionnaire_the_form_has_no_action_field_and_keeps_them():
    event = make_event(plan_actions=[BACKUP])
    data = {
        "organiser": event.organiser_id,
        "title": "Atelier renommé",
        "kind": "atelier",
        "attendance_mode": "presentiel",
        "place": event.place_id,
        "price": "0",
        "registration_mode": "ouverte",
        "offer_hours": "48",
        "withdrawal_hours": "24",
    }
    form = EventForm(data, structures=Organisation.objects.filter(pk=event.organiser_id))
    assert "plan_actions" not in form.fields
    assert form.is_valid(), form.errors
    services.save_event(
        actor=event.created_by,
        data=form.event_data(),
        sessions=[(s.starts_at, s.ends_at) for s in event.sessions.all()],
        event=event,
    )
    event.refresh_from_db()
    assert event.title == "Atelier renommé"
    assert event.plan_action_keys == [BACKUP]
