"""Diagnostics never finished are deleted after DIAGNOSTIC_ABANDONED_DAYS without activity."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from ressourcerie.diagnostic import engine, services
from ressourcerie.diagnostic.models import Answer, AxisScore, DiagnosticResponse

COMMAND = "purge_abandoned_diagnostics"


def _days_ago(response, days):
    DiagnosticResponse.objects.filter(pk=response.pk).update(
        updated_at=timezone.now() - timedelta(days=days)
    )


def _answered(questionnaire, *, complete=False, previous=None):
    structure = engine.build_structure(questionnaire)
    response, _token = services.start_response(questionnaire=questionnaire, previous=previous)
    axis = structure.axes[0]
    answers = {}
    for question in axis.questions:
        if question.kind == "scale":
            answers[question.id] = engine.AnswerValue(value=question.scale_max)
        else:
            answers[question.id] = engine.AnswerValue((question.options[0].id,))
    services.save_answers(
        response=response, structure=structure, questions=axis.questions, answers=answers
    )
    if complete:
        services.complete_response(response=response, structure=structure)
    return response


def run(*args):
    out = StringIO()
    call_command(COMMAND, *args, stdout=out)
    return out.getvalue().strip()


@pytest.fixture
def diagnostics(small):
    old_unfinished = _answered(small)
    recent_unfinished = _answered(small)
    old_completed = _answered(small, complete=True)
    _days_ago(old_unfinished, 181)
    _days_ago(recent_unfinished, 179)
    _days_ago(old_completed, 2000)
    return old_unfinished, recent_unfinished, old_completed


def test_deletes_old_unfinished_with_answers_and_keeps_the_rest(diagnostics):
    old_unfinished, recent_unfinished, old_completed = diagnostics
    assert Answer.objects.filter(response=old_unfinished).exists()
    assert run() == "1 diagnostic(s) abandonné(s) supprimé(s)."
    assert not DiagnosticResponse.objects.filter(pk=old_unfinished.pk).exists()
    assert not Answer.objects.filter(response_id=old_unfinished.pk).exists()
    assert set(DiagnosticResponse.objects.values_list("pk", flat=True)) == {
        recent_unfinished.pk,
        old_completed.pk,
    }
    assert Answer.objects.filter(response=old_completed).exists()
    assert AxisScore.objects.filter(response=old_completed).exists()


def test_is_idempotent(diagnostics):
    run()
    assert run() == "0 diagnostic(s) abandonné(s) supprimé(s)."
    assert DiagnosticResponse.objects.count() == 2


def test_dry_run_deletes_nothing_and_says_so(diagnostics):
    assert run("--dry-run") == (
        "1 diagnostic(s) abandonné(s) à supprimer (essai : rien n'a été supprimé)."
    )
    assert DiagnosticResponse.objects.count() == 3
    assert Answer.objects.filter(response=diagnostics[0]).exists()


def test_follows_the_setting_and_the_days_option(diagnostics, settings):
    settings.DIAGNOSTIC_ABANDONED_DAYS = 100
    assert run("--dry-run") == (
        "2 diagnostic(s) abandonné(s) à supprimer (essai : rien n'a été supprimé)."
    )
    assert run("--days", "365") == "0 diagnostic(s) abandonné(s) supprimé(s)."
    with pytest.raises(CommandError):
        run("--days", "0")
    assert DiagnosticResponse.objects.count() == 3


def test_a_retake_of_a_purged_response_is_kept(small):
    old = _answered(small)
    retake = _answered(small, previous=old)
    _days_ago(old, 400)
    run()
    retake.refresh_from_db()
    assert retake.previous is None
    assert not DiagnosticResponse.objects.filter(pk=old.pk).exists()


def test_saving_a_page_counts_as_activity_even_on_the_same_step(small, small_structure):
    response = _answered(small)
    _days_ago(response, 400)
    axis = small_structure.axes[0]
    services.save_answers(
        response=response, structure=small_structure, questions=axis.questions, answers={}
    )
    run()
    assert DiagnosticResponse.objects.filter(pk=response.pk).exists()
