"""Registration session by session: each session of a series has its own seats, waiting
list and offers; the series' registration is unchanged (tests of the other files)."""

from datetime import timedelta

import icalendar
import pytest
from django.core import mail
from django.utils import timezone

from ressourcerie.agenda import housekeeping, services
from ressourcerie.agenda.errors import AgendaError
from ressourcerie.agenda.models import Attendance, Registration, RegistrationStatus
from tests.factories import UserFactory

from .factories import at, make_event

pytestmark = pytest.mark.django_db
R = RegistrationStatus


def _series(capacity=1, **extra):
    event = make_event(capacity=capacity, per_session=True, **extra)
    first, second = event.sessions.order_by("starts_at")
    return event, first, second


def test_each_session_has_its_own_seats_and_waiting_list():
    event, first, second = _series(capacity=1)
    ana, bob = UserFactory(), UserFactory()
    assert services.register(event=event, user=ana, session=first).status == R.REGISTERED
    # The first session is full; the second still has its seat.
    assert services.register(event=event, user=bob, session=first).status == R.WAITING
    assert services.register(event=event, user=bob, session=second).status == R.REGISTERED
    registration = Registration.objects.get(user=ana)
    assert registration.session == first
    assert Registration.objects.filter(session=second, status=R.REGISTERED).count() == 1


def test_a_freed_seat_is_offered_to_the_next_of_that_session_only(
    django_capture_on_commit_callbacks,
):
    event, first, second = _series(capacity=1)
    ana, bob, cleo = UserFactory(), UserFactory(), UserFactory()
    held = services.register(event=event, user=ana, session=first)
    services.register(event=event, user=cleo, session=second)
    waiting_second = services.register(event=event, user=ana, session=second)
    waiting_first = services.register(event=event, user=bob, session=first)
    assert waiting_second.status == waiting_first.status == R.WAITING
    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw(registration=held, actor=ana)
    waiting_first.refresh_from_db()
    waiting_second.refresh_from_db()
    assert waiting_first.status == R.OFFERED  # the seat of session 1 goes to session 1's list
    assert waiting_second.status == R.WAITING
    assert any("Une place se libère" in m.subject for m in mail.outbox if bob.email in m.to)
    services.accept_offer(registration=waiting_first, actor=bob)
    waiting_first.refresh_from_db()
    assert waiting_first.status == R.REGISTERED


def test_an_expired_offer_passes_to_the_next_of_the_same_session(monkeypatch):
    event, first, _second = _series(capacity=1)
    ana, bob, cleo = UserFactory(), UserFactory(), UserFactory()
    held = services.register(event=event, user=ana, session=first)
    bob_reg = services.register(event=event, user=bob, session=first)
    cleo_reg = services.register(event=event, user=cleo, session=first)
    services.withdraw(registration=held, actor=ana)
    bob_reg.refresh_from_db()
    later = bob_reg.offer_expires_at + timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert services.expire_offers() == 1
    cleo_reg.refresh_from_db()
    assert cleo_reg.status == R.OFFERED


def test_refuses_registering_twice_for_the_same_session_but_not_another():
    event, first, second = _series(capacity=5)
    services.register(event=event, email="dup@asso.example", session=first)
    with pytest.raises(AgendaError, match="déjà inscrit à cette séance"):
        services.register(event=event, email=" DUP@asso.example", session=first)
    services.register(event=event, email="dup@asso.example", session=second)
    assert Registration.objects.count() == 2


def test_refuses_a_missing_or_foreign_session():
    event, _first, _second = _series()
    other = make_event(
        title="Autre", structure=event.organiser, place=event.place, per_session=True
    )
    with pytest.raises(AgendaError, match="Choisissez la séance"):
        services.register(event=event, email="a@asso.example")
    with pytest.raises(AgendaError, match="Choisissez la séance"):
        services.register(event=event, email="a@asso.example", session=other.sessions.first())
    assert not Registration.objects.exists()


def test_refuses_a_session_that_has_started_and_keeps_later_ones_open(monkeypatch):
    event, first, second = _series(capacity=5)
    during = first.starts_at + timedelta(minutes=30)
    monkeypatch.setattr(timezone, "now", lambda: during)
    with pytest.raises(AgendaError, match="séance a déjà commencé"):
        services.register(event=event, email="late@asso.example", session=first)
    registration = services.register(event=event, email="late@asso.example", session=second)
    assert registration.session == second


def test_withdrawal_deadline_is_the_sessions(monkeypatch):
    event, first, second = _series(capacity=5, withdrawal_hours=24)
    user = UserFactory()
    on_second = services.register(event=event, user=user, session=second)
    on_first = services.register(event=event, user=user, session=first)
    monkeypatch.setattr(timezone, "now", lambda: first.starts_at - timedelta(hours=2))
    with pytest.raises(AgendaError, match="date limite"):
        services.withdraw(registration=on_first, actor=user)
    services.withdraw(registration=on_second, actor=user)  # its session is a week later
    on_second.refresh_from_db()
    assert on_second.status == R.WITHDRAWN


def test_invitation_and_private_feed_hold_only_the_session(
    client, django_capture_on_commit_callbacks
):
    event, _first, second = _series(capacity=5)
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.register(event=event, user=user, session=second)
    message = next(m for m in mail.outbox if "Inscription confirmée" in m.subject)
    part = next(p for p in message.message().walk() if p.get_content_type() == "text/calendar")
    calendar = icalendar.Calendar.from_ical(part.get_payload(decode=True))
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    assert str(events[0]["UID"]).startswith(f"agenda-session-{second.pk}@")
    token = housekeeping.new_calendar_key(user=user)
    feed = icalendar.Calendar.from_ical(client.get(f"/agenda/calendrier/{token}.ics").content)
    assert [str(e["UID"]).split("@")[0] for e in feed.walk("VEVENT")] == [
        f"agenda-session-{second.pk}"
    ]


def test_reminders_go_to_the_session_registered():
    event, first, second = _series(capacity=5, sessions=[(at(1), at(1, 17)), (at(8), at(8, 17))])
    on_first = services.register(event=event, user=UserFactory(), session=first)
    services.register(event=event, user=UserFactory(), session=second)
    now = timezone.localtime(first.starts_at) - timedelta(days=1)
    assert housekeeping.send_reminders(now=now) == 1
    on_first.refresh_from_db()
    assert on_first.reminded_until == first.starts_at


def test_pages_register_per_session_without_javascript(client):
    event, first, second = _series(capacity=1)
    services.register(event=event, user=UserFactory(), session=first)
    page = client.get(event.get_absolute_url()).content.decode()
    assert "1 places par séance" in page
    assert "complet" in page and 'name="session"' in page and 'type="radio"' in page
    user = UserFactory()
    client.force_login(user)
    response = client.post(f"/agenda/{event.pk}/inscription/", {"session": second.pk})
    assert response.status_code == 302
    assert Registration.objects.get(user=user).session == second
    # No session chosen: a French message, the page again.
    response = client.post(f"/agenda/{event.pk}/inscription/", {})
    assert response.status_code == 200
    assert "Choisissez la séance" in response.content.decode()
    # Twice for the same session: refused on the page.
    response = client.post(f"/agenda/{event.pk}/inscription/", {"session": second.pk})
    assert "déjà inscrit à cette séance" in response.content.decode()
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Mon inscription" in page and "Inscrit" in page


def test_attendance_is_marked_per_session(client):
    event, first, second = _series(capacity=5)
    user = UserFactory()
    on_first = services.register(event=event, user=user, session=first)
    on_second = services.register(event=event, user=user, session=second)
    staff_editor = event.created_by
    marks = {on_first.pk: Attendance.PRESENT, on_second.pk: Attendance.ABSENT}
    assert services.set_attendance(event=event, actor=staff_editor, marks=marks) == 2
    on_first.refresh_from_db()
    on_second.refresh_from_db()
    assert (on_first.attendance, on_second.attendance) == (Attendance.PRESENT, Attendance.ABSENT)


def test_the_scope_is_fixed_once_people_register_and_sessions_with_people_stay():
    event, first, second = _series(capacity=5)
    services.register(event=event, email="a@asso.example", session=second)
    sessions = [(first.starts_at, first.ends_at)]
    data = {"organiser": event.organiser, "per_session": False}
    with pytest.raises(AgendaError, match="ne peut plus changer"):
        services.save_event(actor=event.created_by, data=data, sessions=sessions, event=event)
    data["per_session"] = True
    with pytest.raises(AgendaError, match="inscrites à une séance que vous retirez"):
        services.save_event(actor=event.created_by, data=data, sessions=sessions, event=event)
    assert event.sessions.count() == 2


def test_whole_series_events_ignore_a_session_given():
    event = make_event(capacity=5)
    registration = services.register(
        event=event, email="a@asso.example", session=event.sessions.first()
    )
    assert registration.session is None
