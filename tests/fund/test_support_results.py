"""The measured result: invitation at the end, one reminder after 7 days, the before/after per
axis from the application's snapshot and the next completed diagnostic, the plan actions
marked done, the 6-month invitation; and the include that shows it."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.template.loader import render_to_string
from django.utils import timezone

from ressourcerie.diagnostic.models import DiagnosticResponse, PlanAction
from ressourcerie.fund.models import Support, SupportStatus
from ressourcerie.fund.selectors import applications as application_selectors
from ressourcerie.fund.selectors.support_impact import result_context, support_result_rows
from ressourcerie.fund.services import support_results

from .instruction_setup import applicant, commune, complete_diagnostic, department
from .support_team_setup import accepted_support, collective_call

pytestmark = pytest.mark.django_db


def _ended_support():
    call = collective_call()
    organisation, member = applicant(
        "Les Amis du Lavoir", commune(department(), insee="44001", name="Bourg", population=900)
    )
    before = DiagnosticResponse.objects.get(organisation=organisation)
    DiagnosticResponse.objects.filter(pk=before.pk).update(
        completed_at=timezone.now() - timedelta(days=90)
    )
    support = accepted_support(call, organisation.commune, organisation=organisation)
    snapshot = application_selectors.snapshot_of(before)
    key = snapshot.actions[0]["key"]
    application = support.application
    application.diagnostic_snapshot = {
        "completed_at": None,
        "axes": snapshot.axes,
        "actions": snapshot.actions,
    }
    application.action_keys = [key]
    application.save()
    support.action_keys = [key]
    support.status = SupportStatus.DONE
    support.closed_at = timezone.now() - timedelta(days=1)
    support.save()
    return support, organisation, member, key


def _retake(organisation, member, *, high=True):
    """A second diagnostic, answered at the top this time."""
    response = complete_diagnostic(organisation, member)
    return response


def test_invited_then_reminded_once_after_seven_days(
    mailoutbox, django_capture_on_commit_callbacks
):
    support, _organisation, member, _key = _ended_support()
    with django_capture_on_commit_callbacks(execute=True):
        counts = support_results.run_daily()
    assert counts.invited == 1 and counts.reminded == 0
    assert mailoutbox[-1].to == [member.email]
    assert "refaites l'autodiagnostic" in mailoutbox[-1].subject
    with django_capture_on_commit_callbacks(execute=True):
        assert support_results.run_daily().invited == 0  # once
        later = support_results.run_daily(now=timezone.now() + timedelta(days=7, minutes=1))
    assert later.reminded == 1
    assert "Rappel" in mailoutbox[-1].subject
    with django_capture_on_commit_callbacks(execute=True):
        again = support_results.run_daily(now=timezone.now() + timedelta(days=8))
    assert again.reminded == 0
    assert len(mailoutbox) == 2


def test_the_next_diagnostic_gives_the_result_per_axis_and_the_actions_done():
    support, organisation, member, key = _ended_support()
    # A diagnostic completed before the end does not count.
    assert support_results.measure_result(support) is False
    PlanAction.objects.filter(organisation=organisation, key=key).update(status="done")
    _retake(organisation, member)
    assert support_results.measure_result(support) is True
    support.refresh_from_db()
    rows = support_result_rows(support)
    before = {a["key"]: a["score"] for a in support.application.diagnostic_snapshot["axes"]}
    assert [r.key for r in rows] == list(before)
    assert all(r.before == before[r.key] and r.after is not None for r in rows)
    assert [a["key"] for a in support.result["actions_done"]] == [key]
    # Written once.
    assert support_results.measure_result(support) is False
    html = render_to_string("fund/support_team/_result.html", result_context(support))
    assert "Résultat mesuré" in html and rows[0].name in html


def test_no_invitation_once_measured_and_the_six_month_one(
    mailoutbox, django_capture_on_commit_callbacks
):
    support, organisation, member, _key = _ended_support()
    _retake(organisation, member)
    with django_capture_on_commit_callbacks(execute=True):
        counts = support_results.run_daily()
    assert counts.measured == 1 and counts.invited == 0
    Support.objects.filter(pk=support.pk).update(closed_at=timezone.now() - timedelta(days=183))
    with django_capture_on_commit_callbacks(execute=True):
        counts = support_results.run_daily()
    assert counts.lasting_invited == 1
    assert "Six mois" in mailoutbox[-1].subject
    support.refresh_from_db()
    assert support.lasting_result == {}
    _retake(organisation, member)
    counts = support_results.run_daily()
    assert counts.lasting_measured == 1
    support.refresh_from_db()
    assert support.lasting_result["axes"]


def test_the_command_reports_its_counts(capsys):
    _ended_support()
    call_command("measure_fund_supports")
    assert "1 invitation(s)" in capsys.readouterr().out


def test_a_support_not_ended_is_left_alone():
    support, organisation, member, _key = _ended_support()
    Support.objects.filter(pk=support.pk).update(status=SupportStatus.RUNNING)
    _retake(organisation, member)
    assert support_results.run_daily().measured == 0
    support.refresh_from_db()
    assert support.result == {} and support.rediagnostic_invited_at is None
