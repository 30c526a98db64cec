"""iCalendar files parsed with a real parser, JSON-LD, and the cancellation invitation."""

import json
import re

import icalendar
import pytest
from django.core import mail

from ressourcerie.agenda import housekeeping, services
from ressourcerie.agenda.models import Status
from tests.factories import UserFactory

from .factories import make_event

pytestmark = pytest.mark.django_db


def test_event_file_has_the_properties_calendars_need(client):
    event = make_event()
    body = client.get(f"/agenda/{event.pk}.ics").content
    calendar = icalendar.Calendar.from_ical(body)
    assert calendar.walk("VTIMEZONE")[0]["TZID"] == "Europe/Paris"
    vevents = calendar.walk("VEVENT")
    assert len(vevents) == 2
    uids = set()
    for vevent in vevents:
        uids.add(str(vevent["UID"]))
        assert vevent["DTSTAMP"].dt.tzinfo is not None
        assert vevent["DTSTART"].params["TZID"] == "Europe/Paris"
        assert vevent["DTEND"].dt > vevent["DTSTART"].dt
        assert int(vevent["SEQUENCE"]) == 0
        assert str(vevent["STATUS"]) == "CONFIRMED"
        assert "Espace Angoulême" in str(vevent["LOCATION"])
        assert vevent["GEO"].latitude == pytest.approx(45.6484)
        assert str(vevent["URL"]).endswith(f"/agenda/{event.pk}/")
        assert str(vevent.walk("VALARM")[0]["TRIGGER"].dt) == "-1 day, 0:00:00"
    assert len(uids) == 2
    # Lines are folded at 75 octets and end with CRLF.
    assert all(len(line) <= 75 for line in body.split(b"\r\n"))


def test_cancellation_sends_method_cancel(django_capture_on_commit_callbacks):
    event = make_event()
    user = UserFactory(email="annule@asso.example")
    services.register(event=event, user=user)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.transition_status(event=event, to_status=Status.CANCELLED, actor=event.created_by)
    (message,) = mail.outbox
    (part,) = [p for p in message.message().walk() if p.get_content_type() == "text/calendar"]
    assert part.get_param("method") == "CANCEL"
    calendar = icalendar.Calendar.from_ical(part.get_payload(decode=True))
    assert str(calendar["METHOD"]) == "CANCEL"
    assert {str(e["STATUS"]) for e in calendar.walk("VEVENT")} == {"CANCELLED"}
    assert {int(e["SEQUENCE"]) for e in calendar.walk("VEVENT")} == {1}


def test_private_feed_lists_the_persons_registrations_and_can_be_revoked(client):
    event = make_event()
    user = UserFactory()
    services.register(event=event, user=user)
    raw = housekeeping.new_calendar_key(user=user)
    response = client.get(f"/agenda/calendrier/{raw}.ics")
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert len(icalendar.Calendar.from_ical(response.content).walk("VEVENT")) == 2
    housekeeping.revoke_calendar_key(user=user)
    assert client.get(f"/agenda/calendrier/{raw}.ics").status_code == 404


def test_structure_feed_and_event_page_json_ld(client):
    event = make_event()
    feed = client.get(f"/agenda/structure/{event.organiser.slug}.ics")
    assert len(icalendar.Calendar.from_ical(feed.content).walk("VEVENT")) == 2
    page = client.get(f"/agenda/{event.pk}/").content.decode()
    data = json.loads(re.search(r'application/ld\+json">(.*?)</script>', page, re.S).group(1))
    assert data["@type"] == "Event"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert data["location"]["@type"] == "Place"
    assert data["maximumAttendeeCapacity"] == 2 and data["remainingAttendeeCapacity"] == 2
    assert data["organizer"]["name"] == event.organiser.name


def test_price_is_shown_in_euros_the_french_way(client):
    event = make_event(price_cents=1250, price_payer="l'association")
    assert "12,50 €" in client.get(f"/agenda/{event.pk}/").content.decode()
