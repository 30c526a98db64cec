"""Approval mode, the per-association quota, and what other parts show through registries."""

import pytest
from django.core import mail

from ressourcerie.agenda import services
from ressourcerie.agenda.errors import AgendaError
from ressourcerie.agenda.models import Publication, RegistrationStatus
from ressourcerie.diagnostic import recommendations
from ressourcerie.newsletter import blocks
from tests.factories import OrganisationFactory, UserFactory

from .factories import make_event, make_structure

pytestmark = pytest.mark.django_db


def test_approval_mode_the_organiser_accepts_or_refuses_with_a_reason():
    event = make_event(registration_mode="validation")
    first = services.register(event=event, user=UserFactory())
    second = services.register(event=event, user=UserFactory())
    assert first.status == second.status == RegistrationStatus.AWAITING_APPROVAL
    organiser = event.created_by
    services.decide_registration(registration=first, accept=True, actor=organiser)
    with pytest.raises(AgendaError, match="motif"):
        services.decide_registration(registration=second, accept=False, actor=organiser)
    services.decide_registration(
        registration=second, accept=False, actor=organiser, reason="Réservé aux bénévoles."
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == RegistrationStatus.REGISTERED
    assert second.status == RegistrationStatus.REFUSED
    assert second.transitions.last().reason == "Réservé aux bénévoles."


def test_stranger_cannot_decide_a_registration():
    event = make_event(registration_mode="validation")
    registration = services.register(event=event, user=UserFactory())
    with pytest.raises(AgendaError):
        services.decide_registration(registration=registration, accept=True, actor=UserFactory())
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.AWAITING_APPROVAL


def test_per_association_quota():
    event = make_event(capacity=10, association_quota=1)
    association = OrganisationFactory()
    services.register(event=event, user=UserFactory(), organisation=association)
    with pytest.raises(AgendaError, match="maximum"):
        services.register(event=event, user=UserFactory(), organisation=association)


def test_organiser_submits_and_the_team_refuses_with_a_reason(django_capture_on_commit_callbacks):
    structure, editor, place = make_structure()
    event = make_event(structure=structure, place=place, publish=False)
    event = services.submit_event(event=event, actor=editor)
    assert event.publication == Publication.TO_MODERATE
    with pytest.raises(AgendaError, match="équipe"):
        services.transition_publication(event=event, to_status=Publication.PUBLISHED, actor=editor)
    with django_capture_on_commit_callbacks(execute=True):
        services.transition_publication(
            event=event, to_status=Publication.REFUSED, actor=event.created_by, reason="Doublon."
        )
    (message,) = [m for m in mail.outbox if editor.email in m.to]
    assert "Doublon." in message.body
    assert list(event.transitions.values_list("to_status", flat=True)) == [
        Publication.TO_MODERATE,
        Publication.REFUSED,
    ]


def test_diagnostic_provider_and_newsletter_block_list_upcoming_events():
    event = make_event(themes=",gerer,")
    provider = recommendations.providers()["event"]

    class Rule:
        event_topic = "gerer"

    class Context:
        department_code = "16"

    found = provider(Rule(), Context())
    assert [r.title for r in found] == [event.title]
    block = blocks.get("prochains-evenements")
    assert [item.title for item in block.builder(None, None, event.commune.department)] == [
        event.title
    ]
