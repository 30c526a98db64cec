"""The issue's "Done when", through the pages as each person would use them (no JavaScript:
plain GET and POST)."""

import re
from datetime import timedelta

import icalendar
import pytest
from django.core import mail
from django.utils import timezone

from ressourcerie.agenda.models import (
    Attendance,
    Event,
    Publication,
    Registration,
    RegistrationStatus,
)
from tests.factories import StaffFactory, UserFactory

from .factories import make_structure

pytestmark = pytest.mark.django_db


def _to(address):
    return [m for m in mail.outbox if address in m.to]


def _calendar_parts(message):
    return [
        (part.get_content_type(), part.get_param("method"), part.get_payload(decode=True))
        for part in message.message().walk()
        if part.get_content_type() == "text/calendar"
    ]


def _link(message, pattern=r"/agenda/inscription/[^\s/]+/"):
    return re.search(pattern, message.body).group(0)


def test_workshop_with_waiting_list_moved_session_attendance_and_feed(
    client, django_capture_on_commit_callbacks
):
    structure, editor, place = make_structure()
    staff = StaffFactory(email="equipe@plateforme.example")
    first = timezone.localdate() + timedelta(days=10)
    second = timezone.localdate() + timedelta(days=17)

    # 1. The structure's editor writes a two-session workshop with 2 seats, and publishes it.
    client.force_login(editor)
    form = {
        "organiser": structure.pk,
        "title": "Atelier : tenir ses comptes avec un logiciel libre",
        "kind": "atelier",
        "attendance_mode": "presentiel",
        "place": place.pk,
        "price": "0",
        "capacity": "2",
        "registration_mode": "ouverte",
        "offer_hours": "48",
        "withdrawal_hours": "24",
        "seances-TOTAL_FORMS": "3",
        "seances-INITIAL_FORMS": "0",
        "seances-0-day": first.isoformat(),
        "seances-0-start": "14:00",
        "seances-0-end": "17:00",
        "seances-1-day": second.isoformat(),
        "seances-1-start": "14:00",
        "seances-1-end": "17:00",
    }
    response = client.post("/agenda/nouveau/", form)
    assert response.status_code == 302, response.content.decode()
    event = Event.objects.get()
    assert event.department_code == "16" and event.sessions.count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/agenda/{event.pk}/publier/")
    event.refresh_from_db()
    assert event.publication == Publication.TO_MODERATE
    # The team publishes it from its moderation page; the editor is told.
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/agenda/gestion/{event.pk}/", {"decision": "publish"})
    event.refresh_from_db()
    assert event.publication == Publication.PUBLISHED
    assert _to(editor.email)
    client.logout()

    # 2. Three people register; the third is on the waiting list.
    alice = UserFactory(email="alice@asso.example")
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/agenda/{event.pk}/inscription/", {})
    client.logout()
    for address in ("bruno@asso.example", "chloe@asso.example"):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                f"/agenda/{event.pk}/inscription/", {"email": address, "name": address[:5]}
            )
        assert response.status_code == 302
        (confirmation,) = _to(address)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(_link(confirmation), {"action": "confirm"})
    status = dict(Registration.objects.values_list("email", "status"))
    assert status == {
        "alice@asso.example": RegistrationStatus.REGISTERED,
        "bruno@asso.example": RegistrationStatus.REGISTERED,
        "chloe@asso.example": RegistrationStatus.WAITING,
    }
    page = client.get(f"/agenda/{event.pk}/").content.decode()
    assert "complet" in page and "Rejoindre la liste d'attente" in page
    registered_mail = _to("bruno@asso.example")[-1]
    ((kind, method, body),) = _calendar_parts(registered_mail)
    assert method == "REQUEST"

    # 3. Alice withdraws; Chloé gets the offer by e-mail and takes it.
    client.force_login(alice)
    alice_link = client.get("/agenda/mes-inscriptions/").content.decode()
    alice_path = re.search(r"/agenda/inscription/[^\"/]+/", alice_link).group(0)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(alice_path, {"action": "withdraw"})
    client.logout()
    offer = _to("chloe@asso.example")[-1]
    assert "Une place se libère" in offer.subject
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_link(offer), {"action": "accept"})
    assert (
        Registration.objects.get(email="chloe@asso.example").status == RegistrationStatus.REGISTERED
    )
    history = Registration.objects.get(email="chloe@asso.example").transitions
    assert list(history.values_list("to_status", flat=True)) == [
        RegistrationStatus.PENDING,
        RegistrationStatus.WAITING,
        RegistrationStatus.OFFERED,
        RegistrationStatus.REGISTERED,
    ]

    # 4. The organiser moves the second session: attendees' e-mails carry SEQUENCE 1.
    mail.outbox.clear()
    client.force_login(editor)
    moved = second + timedelta(days=2)
    edit = client.get(f"/agenda/{event.pk}/modifier/")
    assert edit.status_code == 200
    form.update({"seances-1-day": moved.isoformat(), "seances-INITIAL_FORMS": "2"})
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/agenda/{event.pk}/modifier/", form).status_code == 302
    for address in ("bruno@asso.example", "chloe@asso.example"):
        ((kind, method, body),) = _calendar_parts(_to(address)[-1])
        calendar = icalendar.Calendar.from_ical(body)
        assert str(calendar["METHOD"]) == "REQUEST"
        sequences = {int(e["SEQUENCE"]) for e in calendar.walk("VEVENT")}
        assert sequences == {1}
    assert not _to("alice@asso.example")

    # 5. The organiser marks attendance; Bruno downloads his certificate.
    bruno = Registration.objects.get(email="bruno@asso.example")
    chloe = Registration.objects.get(email="chloe@asso.example")
    response = client.post(
        f"/agenda/{event.pk}/inscrits/",
        {f"presence-{bruno.pk}": "present", f"presence-{chloe.pk}": "excuse"},
    )
    assert response.status_code == 302
    bruno.refresh_from_db()
    assert bruno.attendance == Attendance.PRESENT
    csv = client.get(f"/agenda/{event.pk}/inscrits.csv").content.decode()
    assert "bruno@asso.example" in csv and "Présent" in csv
    client.logout()
    bruno_path = _link(_to("bruno@asso.example")[-1])
    pdf = client.get(bruno_path + "attestation.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    chloe_path = _link(_to("chloe@asso.example")[-1])
    assert client.get(chloe_path + "attestation.pdf").status_code == 404

    # 6. The department's feed parses and shows the moved session.
    response = client.get("/agenda/agenda.ics?departement=16")
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    starts = sorted(e["DTSTART"].dt for e in calendar.walk("VEVENT"))
    assert [s.date() for s in starts] == [first, moved]
    assert str(starts[1].tzinfo) == "Europe/Paris"
