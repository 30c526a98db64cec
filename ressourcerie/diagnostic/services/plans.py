"""Writes of « Mon plan d'action »: keeping an association's plan, marking its actions, and the
free-text answer."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import plan as plans
from .. import selectors
from ..errors import DiagnosticError
from ..models import PLAN_MACHINE, DiagnosticResponse, PlanAction, PlanActionTransition, PlanStatus
from ..permissions import can_follow_plan

PROBLEM_MAX = 500


def clean_problem_text(text: str) -> str:
    """The optional last answer, checked: at most 500 characters, with at least a letter or a
    digit. Raises ``DiagnosticError`` with a French message (``field="problem"``)."""
    text = " ".join((text or "").split())
    if len(text) > PROBLEM_MAX:
        raise DiagnosticError(
            _(
                "Votre phrase fait %(length)s caractères : raccourcissez-la à %(max)s "
                "caractères au plus."
            )
            % {"length": len(text), "max": PROBLEM_MAX},
            field="problem",
        )
    if text and not any(character.isalnum() for character in text):
        raise DiagnosticError(
            _("Écrivez votre problème avec des mots, ou laissez ce champ vide."), field="problem"
        )
    return text


@transaction.atomic
def save_problem_text(*, response: DiagnosticResponse, text: str) -> str:
    """Store the free-text answer (checked by ``clean_problem_text``)."""
    cleaned = clean_problem_text(text)
    if cleaned != response.problem_text:
        response.problem_text = cleaned
        response.save(update_fields=["problem_text", "updated_at"])
    return cleaned


@transaction.atomic
def keep_plan(*, response: DiagnosticResponse, plan: plans.Plan) -> int:
    """The plan of an association's latest completed diagnostic becomes its kept plan: the
    actions proposed again keep their status, new ones start "à faire", the ones no longer
    proposed leave the current plan (kept with their status; deleted if never marked).
    Returns the number of current actions."""
    if not response.organisation_id or not response.is_completed:
        return 0
    latest = selectors.latest_completed_for_organisation(response.organisation)
    if latest is None or latest.pk != response.pk:
        return 0
    existing = {
        row.key: row
        for row in PlanAction.objects.select_for_update().filter(
            organisation_id=response.organisation_id
        )
    }
    proposed = set()
    for rank, action in enumerate(plan.actions, start=1):
        row = existing.get(action.key) or PlanAction(
            organisation_id=response.organisation_id, key=action.key
        )
        row.response = response
        row.axis_key, row.axis_name, row.title = action.axis_key, action.axis_name, action.title
        row.effort_time = action.effort.time
        row.effort_money = action.effort.money
        row.effort_skills = action.effort.skills
        row.rank, row.starter, row.current = rank, action.starter, True
        row.save()
        proposed.add(action.key)
    stale = [row for key, row in existing.items() if key not in proposed]
    never_marked = [
        row.pk for row in stale if row.status == PlanStatus.TODO and not row.transitions.exists()
    ]
    PlanAction.objects.filter(pk__in=never_marked).delete()
    PlanAction.objects.filter(pk__in=[r.pk for r in stale if r.pk not in never_marked]).update(
        current=False
    )
    return len(proposed)


@transaction.atomic
def mark_plan_action(*, action: PlanAction, status: str, actor) -> PlanAction:
    """A member marks a kept action "fait", "en cours", "pas pour nous" (or "à faire" again):
    the one place its status changes, with the date, who, and a history row."""
    action = PlanAction.objects.select_for_update().select_related("organisation").get(pk=action.pk)
    PLAN_MACHINE.check(action.status, status)
    if not can_follow_plan(actor, action.organisation):
        raise DiagnosticError(_("Seuls les membres de l'association peuvent suivre son plan."))
    before = action.status
    action.status = status
    action.status_changed_at = timezone.now()
    action.status_changed_by = actor
    action.save(update_fields=["status", "status_changed_at", "status_changed_by", "updated_at"])
    PlanActionTransition.objects.create(
        action=action, from_status=before, to_status=status, actor=actor
    )
    return action
