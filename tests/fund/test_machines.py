"""The call's and the application's state machines: moves, rights, reasons, budget, history."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from ressourcerie.accounts.models import Role
from ressourcerie.fund.errors import FundError
from ressourcerie.fund.models import (
    Application,
    ApplicationStatus,
    Call,
    CallStatus,
    ReviewCriterion,
)
from ressourcerie.fund.selectors import calls as call_selectors
from ressourcerie.fund.services.applications import allowed_moves, transition_application
from ressourcerie.fund.services.calls import open_and_close_calls, transition_call
from tests.factories import MembershipFactory, OrganisationFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db
S = ApplicationStatus


def make_call(**extra) -> Call:
    today = timezone.localdate()
    values = {
        "title": "Appel test",
        "slug": "appel-test",
        "summary": "Un appel",
        "text": "Texte",
        "budget_euros": 10000,
        "budget_days": Decimal("20"),
        "day_value_euros": 500,
        "opens_on": today - timedelta(days=1),
        "closes_on": today + timedelta(days=30),
    }
    values.update(extra)
    call = Call.objects.create(**values)
    ReviewCriterion.objects.create(call=call, title="Pertinence", weight=2)
    return call


def in_review(call, name="Asso") -> Application:
    organisation = OrganisationFactory(name=name)
    return Application.objects.create(
        call=call,
        organisation=organisation,
        reference=f"2026-{name[:6].upper():A<6}",
        status=S.IN_REVIEW,
    )


def test_a_call_opens_only_between_its_dates_and_records_history():
    staff = StaffFactory()
    call = make_call(opens_on=timezone.localdate() + timedelta(days=3))
    with pytest.raises(FundError, match="entre sa date d'ouverture"):
        transition_call(call=call, to_status=CallStatus.OPEN, actor=staff)
    call = transition_call(call=call, to_status=CallStatus.PUBLISHED, actor=staff)
    assert call.transitions.get().to_status == CallStatus.PUBLISHED
    assert open_and_close_calls() == []


def test_the_scheduler_opens_then_closes():
    call = make_call(status=CallStatus.PUBLISHED)
    assert [c.pk for c in open_and_close_calls()] == [call.pk]
    call.refresh_from_db()
    assert call.status == CallStatus.OPEN
    Call.objects.filter(pk=call.pk).update(
        closes_on=timezone.localdate() - timedelta(days=1),
        opens_on=timezone.localdate() - timedelta(days=9),
    )
    open_and_close_calls()
    call.refresh_from_db()
    assert call.status == CallStatus.CLOSED


def test_only_the_team_moves_a_call():
    call = make_call()
    with pytest.raises(FundError, match="équipe du fonds"):
        transition_call(call=call, to_status=CallStatus.PUBLISHED, actor=UserFactory())


def test_acceptance_within_budget_then_refused_beyond_it():
    staff = StaffFactory()
    call = make_call()
    first, second = in_review(call, "Alpha"), in_review(call, "Bravo")
    transition_application(
        application=first, to_status=S.ACCEPTED, actor=staff, days_granted=15, amount_granted=8000
    )
    budget = call_selectors.budget_of(call)
    assert (budget.days_left, budget.euros_left) == (Decimal("5"), 2000)
    with pytest.raises(FundError, match="Il reste 5 jours"):
        transition_application(
            application=second, to_status=S.ACCEPTED, actor=staff, days_granted=6
        )
    second.refresh_from_db()
    assert second.status == S.IN_REVIEW and second.transitions.count() == 0


def test_refusal_needs_a_reason_and_reopening_frees_the_budget():
    staff = StaffFactory()
    call = make_call()
    application = in_review(call)
    with pytest.raises(FundError, match="motif"):
        transition_application(application=application, to_status=S.REFUSED, actor=staff)
    transition_application(
        application=application, to_status=S.ACCEPTED, actor=staff, days_granted=20
    )
    assert call_selectors.budget_of(call).days_left == 0
    with pytest.raises(FundError, match="rouverte"):
        transition_application(application=application, to_status=S.IN_REVIEW, actor=staff)
    transition_application(
        application=application, to_status=S.IN_REVIEW, actor=staff, reason="Erreur de saisie"
    )
    assert call_selectors.budget_of(call).days_left == 20
    assert [t.to_status for t in application.transitions.all()] == [S.ACCEPTED, S.IN_REVIEW]


def test_members_withdraw_but_never_decide():
    call = make_call()
    application = in_review(call)
    member = UserFactory()
    MembershipFactory(user=member, organisation=application.organisation, role=Role.MEMBER)
    assert allowed_moves(application, member) == [S.WITHDRAWN]
    with pytest.raises(FundError, match="ne pouvez pas"):
        transition_application(
            application=application, to_status=S.ACCEPTED, actor=member, days_granted=1
        )
    transition_application(application=application, to_status=S.WITHDRAWN, actor=member)
