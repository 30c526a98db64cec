"""Bad input from the issue: refused with a French message, nothing half-written."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ressourcerie.agenda import services
from ressourcerie.agenda.errors import AgendaError
from ressourcerie.agenda.models import Event, Registration, RegistrationStatus
from tests.factories import UserFactory

from .factories import at, make_event, make_structure

pytestmark = pytest.mark.django_db


def test_refuses_registering_twice_with_the_same_address():
    event = make_event()
    services.register(event=event, email="dup@asso.example")
    with pytest.raises(AgendaError, match="déjà inscrit"):
        services.register(event=event, email=" DUP@asso.example ")
    assert Registration.objects.count() == 1


def test_beyond_capacity_goes_to_the_waiting_list_in_order():
    event = make_event(capacity=1)
    first, second, third = (UserFactory() for _ in range(3))
    assert services.register(event=event, user=first).status == RegistrationStatus.REGISTERED
    assert services.register(event=event, user=second).status == RegistrationStatus.WAITING
    assert services.register(event=event, user=third).status == RegistrationStatus.WAITING
    services.withdraw(registration=Registration.objects.get(user=first), actor=first)
    offered = Registration.objects.get(status=RegistrationStatus.OFFERED)
    assert offered.user == second


def test_refuses_withdrawal_after_the_deadline(monkeypatch):
    event = make_event(sessions=[(at(1), at(1, 17))])
    user = UserFactory()
    registration = services.register(event=event, user=user)
    later = event.starts_at - timedelta(hours=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    with pytest.raises(AgendaError, match="date limite"):
        services.withdraw(registration=registration, actor=user)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.REGISTERED


def test_refuses_an_offer_taken_after_it_expired(monkeypatch):
    event = make_event(capacity=1)
    first, second = UserFactory(), UserFactory()
    services.register(event=event, user=first)
    waiting = services.register(event=event, user=second)
    services.withdraw(registration=Registration.objects.get(user=first), actor=first)
    waiting.refresh_from_db()
    late = waiting.offer_expires_at + timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: late)
    with pytest.raises(AgendaError, match="expiré"):
        services.accept_offer(registration=waiting, actor=second)
    assert services.expire_offers() == 1
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.EXPIRED


def test_refuses_an_end_before_the_start_and_a_past_session():
    structure, editor, place = make_structure()
    data = {
        "organiser": structure,
        "title": "T",
        "kind": "atelier",
        "attendance_mode": "presentiel",
        "place": place,
    }
    with pytest.raises(AgendaError, match="finit avant"):
        services.save_event(actor=editor, data=data, sessions=[(at(3, 15), at(3, 14))])
    with pytest.raises(AgendaError, match="passé"):
        services.save_event(actor=editor, data=data, sessions=[(at(-3), at(-3, 17))])
    assert not Event.objects.exists()


def test_refuses_an_organiser_editing_another_structures_event(client):
    event = make_event()
    _other, intruder, _place = make_structure(
        commune=event.commune, email="intrus@ailleurs.example", slug="autre-structure"
    )
    with pytest.raises(AgendaError):
        services.save_event(
            actor=intruder,
            data={"organiser": event.organiser, "title": "Piraté"},
            sessions=[(at(5), at(5, 16))],
            event=event,
        )
    client.force_login(intruder)
    assert client.get(f"/agenda/{event.pk}/modifier/").status_code == 404
    assert client.get(f"/agenda/{event.pk}/inscrits.csv").status_code == 404
    event.refresh_from_db()
    assert event.title != "Piraté"


def test_online_link_is_shown_to_registered_people_only(client):
    event = make_event(attendance_mode="mixte", online_url="https://visio.example/salle-secrete")
    assert "salle-secrete" not in client.get(f"/agenda/{event.pk}/").content.decode()
    user = UserFactory()
    services.register(event=event, user=user)
    client.force_login(user)
    assert "salle-secrete" in client.get(f"/agenda/{event.pk}/").content.decode()


def test_registration_form_keeps_what_was_typed_on_refusal(client):
    event = make_event()
    services.register(event=event, email="deja@asso.example")
    response = client.post(
        f"/agenda/{event.pk}/inscription/", {"email": "deja@asso.example", "name": "Dominique"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "déjà inscrit" in page and 'value="Dominique"' in page
