"""GET /api/v1/events and /api/v1/events/{id}."""

import pytest

from ressourcerie.agenda import services
from tests.factories import UserFactory

from .factories import make_event

pytestmark = pytest.mark.django_db


def test_lists_upcoming_events_with_filters_and_remaining_seats(client):
    event = make_event()
    services.register(event=event, user=UserFactory())
    body = client.get("/api/v1/events?department=16&kind=atelier").json()
    assert body["count"] == 1
    (row,) = body["results"]
    assert row["id"] == event.pk and row["remaining"] == 1 and len(row["sessions"]) == 2
    assert client.get("/api/v1/events?department=44").json()["count"] == 0


def test_near_a_position_gives_the_distance(client):
    make_event()
    row = client.get("/api/v1/events?lat=45.65&lon=0.16&radius_km=20").json()["results"][0]
    assert row["distance_km"] < 2
    assert client.get("/api/v1/events?lat=45.65").status_code == 422


def test_a_draft_is_not_found(client):
    draft = make_event(publish=False)
    assert client.get(f"/api/v1/events/{draft.pk}").status_code == 404
    event = make_event(structure=draft.organiser, place=draft.place)
    assert client.get(f"/api/v1/events/{event.pk}").json()["title"] == event.title
