"""Collective support: the team confirms a suggested cohort, edits its members, drops it.

``Cohort.status`` changes only through ``services.support.transition_cohort`` (the one
transition function, whose moves carry the members' supports along). Here: confirming a
suggestion (the cohort is created suggéré, then moved to à attribuer), editing members
before the cohort is proposed to actors (the call's size bounds hold), and dropping — a
cohort not yet proposed frees its members for another group first; a cohort already
proposed or assigned is dropped with its supports (the transition's rule). Proposing to
actors, assigning by hand and cancelling go through ``services.support_offers``.

Agenda: a cohort's sessions are ``SessionLog`` rows with ``cohort`` set (logged by
``services.support.log_session``). When ``agenda.services.create_reserved_event`` exists,
the event reserved to the cohort's members is created there and its id kept in
``SessionLog.event_id`` — the one place the agenda link goes (integration, not this module).
"""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .. import permissions
from ..errors import FundError
from ..models import Cohort, CohortStatus, Support
from ..selectors import support_cohorts as selectors
from .support import transition_cohort

C = CohortStatus


def may_drop(cohort: Cohort, user) -> bool:
    return permissions.can_manage_fund(user) and cohort.status not in (C.DONE, C.DROPPED)


def drop(*, cohort: Cohort, actor, reason: str) -> Cohort:
    """Drop the cohort (a reason needed); before any offer its members are freed first."""
    if not (reason or "").strip():
        raise FundError(_("Écrivez pourquoi le groupe est abandonné."), field="reason")
    if not permissions.can_manage_fund(actor):
        raise FundError(_("Seule l'équipe du fonds abandonne un groupe."))
    with transaction.atomic():
        locked = Cohort.objects.select_for_update().get(pk=cohort.pk)
        if locked.status in selectors.EDITABLE_STATUSES:
            Support.objects.filter(cohort=locked).update(cohort=None, cohort_reason="")
        return transition_cohort(cohort=locked, target=C.DROPPED, actor=actor, reason=reason)


def _check_size(cohort: Cohort, size: int) -> None:
    _check_size_of(cohort.call, size)


def _check_size_of(call, size: int) -> None:
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
        _check_size_of(call, len(ids))
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
        return transition_cohort(cohort=cohort, target=C.TO_ASSIGN, actor=actor)


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
