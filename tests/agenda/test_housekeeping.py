"""Reminders the day before, the purge after the retention period, the list's filters."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from ressourcerie.agenda import housekeeping, services
from ressourcerie.agenda.models import Attendance, Registration
from tests.factories import UserFactory

from .factories import at, make_event

pytestmark = pytest.mark.django_db


def test_reminder_is_sent_once_the_day_before(django_capture_on_commit_callbacks):
    event = make_event(sessions=[(at(1), at(1, 17))])
    services.register(event=event, user=UserFactory(email="rappel@asso.example"))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert housekeeping.send_reminders() == 1
        assert housekeeping.send_reminders() == 0
    (message,) = mail.outbox
    assert message.subject.startswith("Demain")


def test_purge_anonymises_participants_and_keeps_attendance():
    event = make_event(sessions=[(at(1), at(1, 17))])
    registration = services.register(event=event, user=UserFactory(email="vieux@asso.example"))
    Registration.objects.filter(pk=registration.pk).update(attendance=Attendance.PRESENT)
    later = timezone.now() + timedelta(days=100)
    assert housekeeping.purge_participants(days=92, now=later) == 1
    registration.refresh_from_db()
    assert (registration.email, registration.name, registration.user) == ("", "", None)
    assert registration.attendance == Attendance.PRESENT


def test_list_filters_by_department_kind_and_near_a_commune(client):
    event = make_event()
    page = client.get("/agenda/?departement=16&type=atelier").content.decode()
    assert event.title in page
    elsewhere = client.get("/agenda/?departement=44").content.decode()
    assert "Aucun événement à venir" in elsewhere
    # The empty state proposes the nearest ones elsewhere.
    assert event.title in elsewhere.split("Ailleurs ou en ligne")[1]
    assert (
        event.title not in client.get("/agenda/?en_ligne=1").content.decode().split("Ailleurs")[0]
    )
    near = client.get("/agenda/?pres_de=16000").content.decode()
    assert "Près de Angoulême" in near and event.title in near
