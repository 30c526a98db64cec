"""Setups for the team's support pages of the fund (tests/browser/pages.py): a collective
call with a suggested cohort, a confirmed cohort, and measured supports for the dashboard
(the threshold of FUND_IMPACT_MIN_COUNT is met: six results)."""

from __future__ import annotations


def _world():
    from ressourcerie.fund.models import SupportStatus
    from tests.fund.support_team_setup import accepted_support, collective_call, place

    call = collective_call()
    for commune in ("montbron", "confolens", "ruelle"):
        accepted_support(call, place(commune))
    for score in (20, 30, 35, 40, 45, 50):
        support = accepted_support(
            call, place("angouleme"), status=SupportStatus.DONE, scores=(score, 40)
        )
        support.result = {
            "axes": [
                {"key": "securite", "name": "Sécurité", "before": score, "after": score + 15},
                {"key": "outils", "name": "Outils collaboratifs", "before": 40, "after": 55},
            ],
            "actions_done": [],
            "actions_covered": [],
        }
        support.save()
    return call


def suggestions(user) -> dict:
    return {"call": _world()}


def cohort(user) -> dict:
    from ressourcerie.fund.selectors import support_cohorts
    from ressourcerie.fund.services.support_cohorts import confirm_suggestion

    call = _world()
    [suggestion] = support_cohorts.suggest(call)
    return {"call": call, "cohort": confirm_suggestion(call=call, key=suggestion.key, actor=user)}


def dashboard(user) -> dict:
    return {"call": _world()}


def assigned_cohort(user) -> dict:
    """A confirmed cohort assigned by hand to an approved provider (its sessions to plan)."""
    from ressourcerie.fund.services.support_offers import assign_by_hand
    from tests.fund.support_setup import provider

    found = cohort(user)
    actor, _editor = provider("Numérique Charente", latitude=45.65, longitude=0.16, codes=[])
    assign_by_hand(cohort=found["cohort"], organisation=actor, actor=user, reason="")
    found["cohort"].refresh_from_db()
    return found


def cohort_followed(user) -> dict:
    """The assigned cohort seen by a mere member of its actor: one session held (one
    association present, one absent) and one planned in the agenda."""
    from datetime import time, timedelta

    from django.utils import timezone

    from ressourcerie.accounts.models import Membership, Role
    from ressourcerie.fund.services import support_cohorts as cohort_services
    from ressourcerie.fund.services import support_sessions
    from tests.factories import StaffFactory

    found = assigned_cohort(StaffFactory())
    cohort = found["cohort"]
    Membership.objects.create(user=user, organisation=cohort.actor, role=Role.MEMBER)
    members = list(cohort.supports.order_by("pk"))
    for member in members:
        member.starts_on = timezone.localdate() - timedelta(days=14)
        member.save(update_fields=["starts_on"])
    support_sessions.log_session(
        cohort=cohort,
        held_on=timezone.localdate() - timedelta(days=2),
        duration="3",
        unit="heures",
        action_keys=list(cohort.action_keys),
        attendees="Les trésoriers",
        note="Sauvegardes et mots de passe.",
        actor=user,
        present_ids=[members[0].pk],
    )
    cohort_services.schedule_cohort_session(
        cohort=cohort,
        title="Accompagnement collectif — suite",
        day=timezone.localdate() + timedelta(days=10),
        start=time(14, 0),
        end=time(17, 0),
        attendance_mode="en_ligne",
        online_url="https://visio.example.org/groupe",
        actor=user,
    )
    cohort.refresh_from_db()
    return found
