"""Collective support: the team confirms a suggested cohort, edits its members, drops it.

``Cohort.status`` changes only through ``services.support.transition_cohort`` (the one
transition function, whose moves carry the members' supports along). Here: confirming a
suggestion (the cohort is created suggéré, then moved to à attribuer), editing members
before the cohort is proposed to actors (the call's size bounds hold), and dropping — a
cohort not yet proposed frees its members for another group first; a cohort already
proposed or assigned is dropped with its supports (the transition's rule). Proposing to
actors, assigning by hand and cancelling go through ``services.support_offers``.

Agenda: a cohort's delivered sessions are ``SessionLog`` rows with ``cohort`` set (logged
by ``services.support_sessions.log_session``, which links the planned event it delivers);
the actor closes the cohort with ``close_cohort``. A planned collective session is an agenda event
reserved to the members (``agenda.services.create_reserved_event``, organised by the cohort's
actor), its id kept in a ``CohortEvent`` row by ``schedule_cohort_session`` — the one place
the agenda link goes.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ressourcerie.agenda import services as agenda_services

from .. import permissions
from ..errors import FundError
from ..models import Cohort, CohortEvent, CohortStatus, Support, SupportStatus
from ..selectors import support_cohorts as selectors
from .support import clean_report, transition_cohort

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
        locked = Cohort.objects.select_for_update(of=("self",)).get(pk=cohort.pk)
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
        locked = list(
            Support.objects.select_for_update(of=("self",)).filter(pk__in=ids, cohort__isnull=True)
        )
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
    cohort = Cohort.objects.select_for_update(of=("self",)).select_related("call").get(pk=cohort.pk)
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
        support = cohort.supports.select_for_update(of=("self",)).filter(pk=support_id).first()
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


def close_cohort(*, cohort: Cohort, report: str, actor) -> Cohort:
    """The cohort's actor (or the team) closes it with a short report (→ terminé): the
    report becomes each running member's, and the members end with their cohort."""
    report = clean_report(report)
    with transaction.atomic():
        locked = Cohort.objects.select_for_update(of=("self",)).get(pk=cohort.pk)
        if not (permissions.is_cohort_actor(actor, locked) or permissions.can_manage_fund(actor)):
            raise FundError(_("Seul l'acteur attribué au groupe, ou l'équipe, le termine."))
        if locked.status != C.RUNNING:
            raise FundError(
                _(
                    "Le groupe se termine une fois sa première séance enregistrée : "
                    "il est « %(status)s »."
                )
                % {"status": locked.get_status_display()}
            )
        Support.objects.filter(cohort=locked, status=SupportStatus.RUNNING).update(report=report)
        return transition_cohort(cohort=locked, target=C.DONE, actor=actor)


def may_schedule(cohort: Cohort, user) -> bool:
    """The cohort's assigned actor's people, or the team."""
    return permissions.is_cohort_actor(user, cohort) or permissions.can_manage_fund(user)


def schedule_cohort_session(
    *,
    cohort: Cohort,
    title: str,
    day,
    start,
    end,
    attendance_mode: str,
    actor,
    address: str = "",
    commune: str = "",
    online_url: str = "",
) -> CohortEvent:
    """Plan a collective session: an agenda event (kind « atelier ») organised by the
    cohort's actor and reserved to the member associations. ``commune``: an INSEE code."""
    if not may_schedule(cohort, actor):
        raise FundError(_("Seul l'acteur attribué au groupe, ou l'équipe, programme ses séances."))
    title = (title or "").strip()
    if not title:
        raise FundError(_("Donnez un titre à la séance."), field="title")
    zone = timezone.get_current_timezone()
    starts_at = datetime.combine(day, start, tzinfo=zone)
    ends_at = datetime.combine(day, end, tzinfo=zone)
    if ends_at <= starts_at:
        raise FundError(_("La séance doit finir après son début."), field="end")
    if starts_at < timezone.now():
        raise FundError(_("La séance ne peut pas être dans le passé."), field="day")
    with transaction.atomic():
        locked = (
            Cohort.objects.select_for_update(of=("self",)).select_related("actor").get(pk=cohort.pk)
        )
        if locked.status not in selectors.SCHEDULABLE_STATUSES or locked.actor_id is None:
            raise FundError(
                _(
                    "Les séances se programment une fois le groupe attribué à un acteur : "
                    "celui-ci est « %(status)s »."
                )
                % {"status": locked.get_status_display()}
            )
        try:
            event = agenda_services.create_reserved_event(
                organiser=locked.actor,
                title=title,
                kind="atelier",
                sessions=[(starts_at, ends_at)],
                organisation_ids=selectors.member_organisation_ids(locked),
                actor=actor,
                attendance_mode=attendance_mode,
                address=address if attendance_mode != "en_ligne" else "",
                commune=commune if attendance_mode != "en_ligne" else "",
                online_url=online_url if attendance_mode != "presentiel" else "",
                description=_(
                    "Séance collective du groupe « %(name)s » (fonds d'accompagnement), "
                    "réservée à ses associations."
                )
                % {"name": locked.name},
            )
        except agenda_services.AgendaError as refusal:
            raise FundError(refusal.message, field=refusal.field) from refusal
        return CohortEvent.objects.create(cohort=locked, event_id=event.pk)
