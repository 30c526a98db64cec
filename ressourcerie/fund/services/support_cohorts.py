"""Collective support: the team confirms a suggested cohort, edits its members, drops it.

One transition function, ``transition_cohort``, changes ``Cohort.status``: it locks the row,
checks the move (``COHORT_MACHINE``), the actor's right, saves and writes ``CohortTransition``.
The team confirms (suggéré → à attribuer) and drops (→ abandonné, with a reason: the
members are freed for another group). The moves that follow an offer or a session (proposé,
attribué, en cours, terminé, back to à attribuer) are made by the offers and sessions
services, which check their own actor's right first and pass ``by_platform=True``.

Agenda: a cohort's sessions are ``SessionLog`` rows with ``cohort`` set (logged by
``services.support.log_session``). When ``agenda.services.create_reserved_event`` exists,
the event reserved to the cohort's members is created there and its id kept in
``SessionLog.event_id`` — the one place the agenda link goes (integration, not this module).
"""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ressourcerie.core.workflow import TransitionRecord

from .. import permissions
from ..errors import FundError
from ..models import Cohort, CohortStatus, CohortTransition, Support
from ..selectors import support_cohorts as selectors
from .support_states import COHORT_MACHINE

C = CohortStatus
TEAM_MOVES = {C.TO_ASSIGN, C.DROPPED}


def _may_move(actor, cohort: Cohort, to_status: str, by_platform: bool) -> bool:
    if by_platform and not (cohort.status == C.SUGGESTED or to_status == C.DROPPED):
        return True
    return permissions.can_manage_fund(actor)


def allowed_moves(cohort: Cohort, user) -> list[str]:
    """The team's moves from the cohort's state (what its page offers)."""
    return [
        target
        for target in COHORT_MACHINE.moves_from(cohort.status)
        if target in TEAM_MOVES
        and (target == C.DROPPED or cohort.status == C.SUGGESTED)
        and _may_move(user, cohort, target, False)
    ]


def transition_cohort(
    *, cohort: Cohort, to_status: str, actor, reason: str = "", by_platform: bool = False
) -> Cohort:
    reason = (reason or "").strip()
    with transaction.atomic():
        cohort = Cohort.objects.select_for_update().select_related("call").get(pk=cohort.pk)
        COHORT_MACHINE.check(cohort.status, to_status)
        if not _may_move(actor, cohort, to_status, by_platform):
            raise FundError(_("Seule l'équipe du fonds peut faire passer ce groupe à cette étape."))
        fields = ["status", "updated_at"]
        if to_status == C.DROPPED:
            if not reason:
                raise FundError(_("Écrivez pourquoi le groupe est abandonné."), field="reason")
            cohort.drop_reason = reason
            fields.append("drop_reason")
            # The members go back to the call's collective dossiers, free for another group.
            Support.objects.filter(cohort=cohort).update(cohort=None, cohort_reason="")
        if to_status == C.TO_ASSIGN and cohort.status == C.SUGGESTED:
            _check_size(cohort, cohort.supports.count())
        from_status = cohort.status
        cohort.status = to_status
        cohort.save(update_fields=fields)
        CohortTransition.objects.create(
            cohort=cohort,
            from_status=from_status,
            to_status=to_status,
            actor=TransitionRecord.actor_or_none(actor),
            reason=reason,
        )
    return cohort


def _check_size(cohort: Cohort, size: int) -> None:
    call = cohort.call
    if not call.cohort_min <= size <= call.cohort_max:
        raise FundError(
            ngettext(
                "Le groupe compterait %(size)s association : l'appel « %(call)s » prévoit des "
                "groupes de %(min)s à %(max)s associations.",
                "Le groupe compterait %(size)s associations : l'appel « %(call)s » prévoit des "
                "groupes de %(min)s à %(max)s associations.",
                size,
            )
            % {"size": size, "call": call.title, "min": call.cohort_min, "max": call.cohort_max}
        )


def confirm_suggestion(*, call, key: str, actor, name: str = "") -> Cohort:
    """Create the cohort of the suggestion ``key`` (read again now: the dossiers may have
    moved since the page was shown) and confirm it (suggéré → à attribuer)."""
    if not permissions.can_manage_fund(actor):
        raise FundError(_("Seule l'équipe du fonds confirme les groupes."))
    with transaction.atomic():
        suggestion = selectors.suggestion_by_key(call, key)
        if suggestion is None:
            raise FundError(
                _(
                    "Cette suggestion n'est plus d'actualité (un dossier a changé depuis) : "
                    "voici les suggestions à jour."
                )
            )
        ids = [m.support.pk for m in suggestion.members]
        locked = list(Support.objects.select_for_update().filter(pk__in=ids, cohort__isnull=True))
        if len(locked) != len(ids):
            raise FundError(_("Une de ces associations vient d'entrer dans un autre groupe."))
        cohort = Cohort.objects.create(
            call=call,
            name=(name or "").strip()[:200] or suggestion.name,
            status=C.SUGGESTED,
            action_keys=suggestion.action_keys,
            department_code=suggestion.department_code,
            rationale=suggestion.rationale,
        )
        for member in suggestion.members:
            Support.objects.filter(pk=member.support.pk).update(
                cohort=cohort, cohort_reason=member.reason
            )
        return transition_cohort(cohort=cohort, to_status=C.TO_ASSIGN, actor=actor)


def _editable(cohort: Cohort, actor) -> Cohort:
    if not permissions.can_manage_fund(actor):
        raise FundError(_("Seule l'équipe du fonds modifie les groupes."))
    cohort = Cohort.objects.select_for_update().select_related("call").get(pk=cohort.pk)
    if cohort.status not in selectors.EDITABLE_STATUSES:
        raise FundError(
            _(
                "Les membres d'un groupe se modifient avant sa proposition aux acteurs : "
                "celui-ci est « %(status)s »."
            )
            % {"status": cohort.get_status_display()}
        )
    return cohort


def add_member(*, cohort: Cohort, support_id, actor) -> Support:
    with transaction.atomic():
        cohort = _editable(cohort, actor)
        support = (
            selectors.addable_supports(cohort).select_for_update(of=("self",)).filter(pk=support_id)
        ).first()
        if support is None:
            raise FundError(
                _(
                    "Cette association ne peut pas rejoindre le groupe : son dossier doit être "
                    "accepté dans le même appel, en accompagnement collectif, sans autre groupe."
                ),
                field="support",
            )
        _check_size(cohort, cohort.supports.count() + 1)
        support.cohort = cohort
        support.cohort_reason = _("Ajoutée par l'équipe du fonds")
        support.save(update_fields=["cohort", "cohort_reason", "updated_at"])
    return support


def remove_member(*, cohort: Cohort, support_id, actor) -> None:
    with transaction.atomic():
        cohort = _editable(cohort, actor)
        support = cohort.supports.select_for_update().filter(pk=support_id).first()
        if support is None:
            raise FundError(_("Cette association n'est pas dans le groupe."))
        _check_size(cohort, cohort.supports.count() - 1)
        support.cohort = None
        support.cohort_reason = ""
        support.save(update_fields=["cohort", "cohort_reason", "updated_at"])


def rename(*, cohort: Cohort, name: str, actor) -> Cohort:
    name = (name or "").strip()
    if not name:
        raise FundError(_("Donnez un nom au groupe."), field="name")
    with transaction.atomic():
        cohort = _editable(cohort, actor)
        cohort.name = name[:200]
        cohort.save(update_fields=["name", "updated_at"])
    return cohort
