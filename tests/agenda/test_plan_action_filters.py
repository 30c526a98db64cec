"""The plan actions an event serves as rows (``EventPlanAction``): an edit replaces them, the
API and the public list (and its feed) filter by one, the list offers only the actions of
upcoming events, and an API page reads its details in a fixed number of queries."""

from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ressourcerie.agenda import services
from ressourcerie.agenda.models import EventPlanAction
from tests.factories import UserFactory

from .factories import at, make_event, make_structure
from .plan_factories import BACKUP, WEBSITE, published_questionnaire, title_of

pytestmark = pytest.mark.django_db


def test_an_edit_replaces_the_actions_and_keeps_the_rows_of_those_kept():
    event = make_event(plan_actions=[BACKUP, WEBSITE])
    kept = EventPlanAction.objects.get(event=event, key=WEBSITE).pk
    services.save_event(
        actor=event.created_by,
        data={"organiser": event.organiser, "plan_actions": [WEBSITE, WEBSITE]},
        sessions=[(s.starts_at, s.ends_at) for s in event.sessions.all()],
        event=event,
    )
    assert event.plan_action_keys == [WEBSITE]
    assert list(EventPlanAction.objects.values_list("pk", flat=True)) == [kept]


def test_the_api_filters_by_plan_action(client):
    structure, _editor, place = make_structure()
    serving = make_event(structure=structure, place=place, plan_actions=[BACKUP, WEBSITE])
    make_event(structure=structure, place=place, title="Sans action")
    make_event(structure=structure, place=place, title="Autre action", plan_actions=[WEBSITE])
    body = client.get(f"/api/v1/events?plan_action={BACKUP}").json()
    assert [row["id"] for row in body["results"]] == [serving.pk]
    assert body["results"][0]["plan_actions"] == [BACKUP, WEBSITE]
    near = client.get(f"/api/v1/events?plan_action={BACKUP}&lat=45.65&lon=0.16").json()
    assert [row["id"] for row in near["results"]] == [serving.pk]
    assert client.get(f"/api/v1/events?plan_action={WEBSITE}").json()["count"] == 2
    assert client.get("/api/v1/events?plan_action=inconnue").json()["count"] == 0
    refused = client.get("/api/v1/events?plan_action=pas%20une%20cl%C3%A9")
    assert refused.status_code == 400
    assert "plan_action" in refused.json()["error"]["details"]


def test_the_openapi_document_describes_the_filter_with_an_example(client):
    document = client.get("/api/v1/openapi.json").json()
    parameters = document["paths"]["/api/v1/events"]["get"]["parameters"]
    (described,) = [p for p in parameters if p["name"] == "plan_action"]
    assert "plan d'action" in described["description"]
    assert described.get("example") or described["schema"].get("example")


@pytest.mark.parametrize("near", ["", "&lat=45.65&lon=0.16"])
def test_an_api_page_reads_its_details_in_queries_that_do_not_grow_with_it(client, near):
    structure, _editor, place = make_structure()

    def queries_for_a_page() -> int:
        with CaptureQueriesContext(connection) as queries:
            body = client.get(f"/api/v1/events?page_size=50{near}").json()
        assert all(row["remaining"] is not None for row in body["results"])
        return len(queries)

    first = make_event(structure=structure, place=place, plan_actions=[BACKUP])
    services.register(event=first, user=UserFactory())
    with_one = queries_for_a_page()
    for n in range(3):
        make_event(structure=structure, place=place, title=f"Atelier {n}", plan_actions=[WEBSITE])
    assert queries_for_a_page() == with_one
    row = client.get(f"/api/v1/events?plan_action={BACKUP}{near}").json()["results"][0]
    assert row["remaining"] == 1 and len(row["sessions"]) == 2  # capacity 2, one registered


def test_the_list_and_its_feed_filter_by_an_action_offered_only_when_an_event_serves_it(client):
    published_questionnaire()
    structure, _editor, place = make_structure()
    make_event(structure=structure, place=place, title="Sauvegarder", plan_actions=[BACKUP])
    make_event(structure=structure, place=place, title="Sans action")
    make_event(
        structure=structure,
        place=place,
        title="Site en brouillon",
        plan_actions=[WEBSITE],
        publish=False,
    )
    page = unescape(client.get("/agenda/").content.decode())
    assert f'<option value="{BACKUP}">{title_of(BACKUP)}</option>' in page
    assert f'value="{WEBSITE}"' not in page  # a draft serves it: nothing to find
    filtered = unescape(client.get(f"/agenda/?action={BACKUP}").content.decode())
    assert "Sauvegarder" in filtered and "Sans action" not in filtered
    assert f'<option value="{BACKUP}" selected>' in filtered
    feed = client.get(f"/agenda/agenda.ics?action={BACKUP}").content.decode()
    assert feed.count("BEGIN:VEVENT") == 2  # the two sessions of « Sauvegarder »
    odd = client.get("/agenda/?action=<script>").content.decode()
    assert "Sans action" in odd  # an unreadable action is no filter, never an error


def test_a_past_event_does_not_offer_its_action(client):
    published_questionnaire()
    event = make_event(plan_actions=[BACKUP], sessions=[(at(3), at(3, 17))])
    event.sessions.update(starts_at=at(-3), ends_at=at(-3, 17))
    type(event).objects.filter(pk=event.pk).update(starts_at=at(-3), ends_at=at(-3, 17))
    assert f'value="{BACKUP}"' not in client.get("/agenda/").content.decode()
