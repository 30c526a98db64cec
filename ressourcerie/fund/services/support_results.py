"""The measured result of a support (docs/parts/fund.md, Part 2, flow 5).

When a support ends (terminé) its association's members are invited to retake the
diagnostic, reminded once after ``REMINDER_DAYS``; the next completed diagnostic of the
association after the end gives the after-scores per axis, the application's
``diagnostic_snapshot`` the before-scores; the plan actions the support covered and the
association marked done are counted. ``measure_result`` writes ``Support.result`` (once);
six months after the end a second invitation goes out and the next diagnostic after it fills
``Support.lasting_result``. ``run_daily`` does all of it (``measure_fund_supports``).
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from ressourcerie.core.services import queue_email
from ressourcerie.diagnostic import selectors as diagnostic

from ..models import Support, SupportStatus, SupportTransition

REMINDER_DAYS = 7
LASTING_DAYS = 182


def ended_at(support: Support):
    """When the support ended: its closing time, else its move to terminé."""
    if support.closed_at is not None:
        return support.closed_at
    record = (
        SupportTransition.objects.filter(support=support, to_status=SupportStatus.DONE)
        .order_by("-at")
        .first()
    )
    return record.at if record is not None else support.updated_at


def _diagnostic_after(organisation, moment):
    response = diagnostic.latest_completed_for_organisation(organisation)
    if response is None or response.completed_at is None or response.completed_at < moment:
        return None
    return response


def compute_result(support: Support, response) -> dict:
    """The before/after per axis and the covered plan actions marked done, as JSON."""
    application = support.application
    before = {a["key"]: a for a in (application.diagnostic_snapshot or {}).get("axes", [])}
    scores, _plan = diagnostic.summary_of(response)
    axes = []
    for axis in scores.axes:
        previous = before.get(axis.key)
        axes.append(
            {
                "key": axis.key,
                "name": str(axis.name),
                "before": previous["score"] if previous is not None else None,
                "after": axis.score,
            }
        )
    covered = set(support.action_keys or application.action_keys or [])
    titles = {
        a["key"]: a.get("title", a["key"])
        for a in application.diagnostic_snapshot.get("actions", [])
    }
    done = [
        {"key": action.key, "title": action.title}
        for action in diagnostic.association_plan(application.organisation)
        if action.key in covered and action.status == "done"
    ]
    return {
        "measured_at": timezone.now().isoformat(),
        "diagnostic_completed_at": response.completed_at.isoformat(),
        "axes": axes,
        "actions_covered": [{"key": k, "title": titles.get(k, k)} for k in sorted(covered)],
        "actions_done": done,
    }


def measure_result(support: Support) -> bool:
    """Write ``support.result`` from the first completed diagnostic after the end; False
    while there is none (or the result is already measured)."""
    if support.status != SupportStatus.DONE or support.result:
        return False
    response = _diagnostic_after(support.application.organisation, ended_at(support))
    if response is None:
        return False
    with transaction.atomic():
        locked = Support.objects.select_for_update().get(pk=support.pk)
        if locked.result:
            return False
        locked.result = compute_result(support, response)
        locked.save(update_fields=["result", "updated_at"])
        support.result = locked.result
    return True


def measure_lasting(support: Support) -> bool:
    """Six months on: ``lasting_result`` from a diagnostic completed after the invitation."""
    if support.lasting_invited_at is None or support.lasting_result:
        return False
    response = _diagnostic_after(support.application.organisation, support.lasting_invited_at)
    if response is None:
        return False
    support.lasting_result = compute_result(support, response)
    support.save(update_fields=["lasting_result", "updated_at"])
    return True


@dataclass
class DailyCounts:
    invited: int = 0
    reminded: int = 0
    measured: int = 0
    lasting_invited: int = 0
    lasting_measured: int = 0


def _mark(support: Support, field: str, purpose: str, now) -> None:
    with transaction.atomic():
        updated = Support.objects.filter(pk=support.pk, **{f"{field}__isnull": True}).update(
            **{field: now}
        )
        if updated:
            queue_email(purpose=purpose, ids={"support": support.pk})


def run_daily(now=None) -> DailyCounts:
    """Invitations, reminders and measures of every ended support (idempotent: each e-mail
    goes once, each result is written once)."""
    now = now or timezone.now()
    counts = DailyCounts()
    ended = Support.objects.filter(status=SupportStatus.DONE).select_related(
        "application__organisation"
    )
    for support in ended:
        if measure_result(support):
            counts.measured += 1
        end = ended_at(support)
        if support.rediagnostic_invited_at is None and not support.result:
            _mark(support, "rediagnostic_invited_at", "fund.rediagnostic_invitation", now)
            counts.invited += 1
        elif (
            support.rediagnostic_invited_at is not None
            and support.rediagnostic_reminded_at is None
            and not support.result
            and now - support.rediagnostic_invited_at >= timedelta(days=REMINDER_DAYS)
        ):
            _mark(support, "rediagnostic_reminded_at", "fund.rediagnostic_reminder", now)
            counts.reminded += 1
        if support.lasting_invited_at is None and now - end >= timedelta(days=LASTING_DAYS):
            _mark(support, "lasting_invited_at", "fund.lasting_invitation", now)
            counts.lasting_invited += 1
        elif measure_lasting(support):
            counts.lasting_measured += 1
    return counts
