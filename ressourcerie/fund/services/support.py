"""The support's life (part 2): opened by the acceptance, moved only by
``transition_support`` / ``transition_cohort``, its grant changed by the team, closed with
the actor's report (sessions: ``support_sessions``).

Each transition function locks the row, checks the move (``support_states``), the actor's
right, saves, writes the history and e-mails after commit. ``actor=None`` is the platform
itself (the daily jobs), allowed only the moves listed in ``PLATFORM_MOVES``.
"""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ressourcerie.core.services import queue_email
from ressourcerie.core.workflow import TransitionRecord

from .. import permissions, text
from ..errors import FundError
from ..models import (
    Cohort,
    CohortStatus,
    CohortTransition,
    GrantChange,
    Support,
    SupportFormat,
    SupportStatus,
    SupportTransition,
)
from ..selectors import support as selectors
from .support_states import COHORT_MACHINE, SUPPORT_MACHINE

S = SupportStatus
C = CohortStatus
# Moves the platform makes alone: proposing when a support opens, the expiry of offers.
PLATFORM_MOVES = {(S.TO_ASSIGN, S.OFFERED), (S.OFFERED, S.TO_ASSIGN)}
# Moves the assigned actor makes: the first session starts it, the report closes it.
ACTOR_MOVES = {(S.ASSIGNED, S.RUNNING), (S.RUNNING, S.DONE)}
REASON_NEEDED = {S.DROPPED}
NOT_STARTED = (S.TO_ASSIGN, S.OFFERED, S.ASSIGNED)


def _may_move(user, support: Support, from_status, target, assigned_actor) -> bool:
    if permissions.can_manage_fund(user):
        return True
    if user is None or not getattr(user, "is_authenticated", False):
        return (from_status, target) in PLATFORM_MOVES
    if target == S.ASSIGNED and assigned_actor is not None:
        # An actor accepting its offer (the offer service checked the offer itself).
        return permissions.acts_for(user, assigned_actor)
    if (from_status, target) in ACTOR_MOVES:
        return permissions.is_assigned_actor(user, support)
    return False


def allowed_moves(support: Support, user) -> list[str]:
    """The team's moves offered on its page (assignment goes through offers or by hand)."""
    if not permissions.can_manage_fund(user):
        return []
    return [t for t in SUPPORT_MACHINE.moves_from(support.status) if t == S.DROPPED]


def transition_support(
    *, support: Support, target: str, actor, reason: str = "", assigned_actor=None
) -> Support:
    """The one function that changes ``Support.status``. ``assigned_actor`` is the
    structure that takes the support (→ attribué); leaving attribué / en cours for à attribuer
    or abandonné takes the actor away."""
    reason = (reason or "").strip()
    with transaction.atomic():
        support = Support.objects.select_for_update(of=("self",)).get(pk=support.pk)
        SUPPORT_MACHINE.check(support.status, target)
        from_status = support.status
        if not _may_move(actor, support, from_status, target, assigned_actor):
            raise FundError(_("Vous ne pouvez pas faire passer cet accompagnement à cette étape."))
        if target in REASON_NEEDED and not reason:
            raise FundError(_("Écrivez le motif de l'abandon."), field="reason")
        fields = ["status", "updated_at"]
        if target == S.ASSIGNED:
            if assigned_actor is None:
                raise FundError(_("Choisissez l'acteur qui accompagne l'association."))
            support.actor = assigned_actor
            support.assigned_at = timezone.now()
            if support.starts_on is None:
                support.starts_on = timezone.localdate()
            fields += ["actor", "assigned_at", "starts_on"]
        if target == S.TO_ASSIGN and from_status in (S.ASSIGNED, S.RUNNING):
            support.actor = None
            support.assigned_at = None
            fields += ["actor", "assigned_at"]
        if target == S.TO_ASSIGN and from_status == S.OFFERED and actor is None:
            support.escalated_at = timezone.now()
            fields.append("escalated_at")
        if target == S.DROPPED:
            support.drop_reason = reason
            fields.append("drop_reason")
        if target == S.DONE:
            support.closed_at = timezone.now()
            fields.append("closed_at")
        support.status = target
        support.save(update_fields=fields)
        record = SupportTransition.objects.create(
            support=support,
            from_status=from_status,
            to_status=target,
            actor=TransitionRecord.actor_or_none(actor),
            reason=reason[:500],
        )
        queue_email(purpose="fund.support_status", ids={"transition": record.pk})
    return support


def transition_cohort(
    *, cohort: Cohort, target: str, actor, reason: str = "", assigned_actor=None
) -> Cohort:
    """The one function that changes ``Cohort.status``; its live members' supports follow
    (proposed, assigned with the same actor, running, back to à attribuer, dropped)."""
    reason = (reason or "").strip()
    with transaction.atomic():
        cohort = Cohort.objects.select_for_update(of=("self",)).get(pk=cohort.pk)
        COHORT_MACHINE.check(cohort.status, target)
        from_status = cohort.status
        team = permissions.can_manage_fund(actor)
        signed_in = actor is not None and getattr(actor, "is_authenticated", False)
        if not team:
            allowed = (
                (not signed_in and (from_status, target) in {(C.OFFERED, C.TO_ASSIGN)})
                or (
                    signed_in
                    and target == C.ASSIGNED
                    and assigned_actor is not None
                    and permissions.acts_for(actor, assigned_actor)
                )
                or (
                    signed_in
                    and (from_status, target) in {(C.ASSIGNED, C.RUNNING), (C.RUNNING, C.DONE)}
                    and permissions.is_cohort_actor(actor, cohort)
                )
            )
            if not allowed:
                raise FundError(_("Vous ne pouvez pas faire passer ce groupe à cette étape."))
        if target == C.DROPPED and not reason:
            raise FundError(_("Écrivez le motif de l'abandon."), field="reason")
        fields = ["status", "updated_at"]
        if target == C.ASSIGNED:
            cohort.actor = assigned_actor
            fields.append("actor")
        if target == C.TO_ASSIGN and from_status in (C.ASSIGNED, C.RUNNING):
            cohort.actor = None
            fields.append("actor")
        if target == C.DROPPED:
            cohort.drop_reason = reason
            fields.append("drop_reason")
        cohort.status = target
        cohort.save(update_fields=fields)
        CohortTransition.objects.create(
            cohort=cohort,
            from_status=from_status,
            to_status=target,
            actor=TransitionRecord.actor_or_none(actor),
            reason=reason[:500],
        )
        for member in cohort.supports.exclude(status__in=[S.DONE, S.DROPPED]):
            if SUPPORT_MACHINE.can(member.status, target) and member.status != target:
                transition_support(
                    support=member,
                    target=target,
                    actor=actor,
                    reason=reason,
                    assigned_actor=assigned_actor,
                )
    return cohort


# --- opening and the decision reopened ---------------------------------------------------------


def open_support(*, application, actor) -> Support:
    """The support of an accepted dossier (called by ``transition_application`` in its
    transaction): à attribuer, with the days, the actions and the format of the decision. A
    support dropped when its decision was reopened comes back to à attribuer."""
    days = application.days_granted or Decimal("0")
    support = (
        Support.objects.select_for_update(of=("self",)).filter(application=application).first()
    )
    if support is None:
        support = Support.objects.create(
            application=application,
            days_granted=days,
            support_format=application.support_format or SupportFormat.INDIVIDUAL,
            action_keys=list(application.action_keys or []),
            objectives=application.project[:3000],
        )
        SupportTransition.objects.create(
            support=support,
            from_status="",
            to_status=S.TO_ASSIGN,
            actor=TransitionRecord.actor_or_none(actor),
            reason=_("Dossier accepté."),
        )
        return support
    if support.status == S.DROPPED:
        SUPPORT_MACHINE.check(support.status, S.TO_ASSIGN)
        support.status = S.TO_ASSIGN
        support.days_granted = days
        support.action_keys = list(application.action_keys or [])
        support.drop_reason = ""
        support.save(update_fields=["status", "days_granted", "action_keys", "drop_reason"])
        SupportTransition.objects.create(
            support=support,
            from_status=S.DROPPED,
            to_status=S.TO_ASSIGN,
            actor=TransitionRecord.actor_or_none(actor),
            reason=_("Dossier de nouveau accepté."),
        )
    return support


# --- grant -------------------------------------------------------------------------------------


def parse_decimal(value, *, field: str, message: str) -> Decimal:
    try:
        number = Decimal(str(value).replace(",", ".").strip())
    except (InvalidOperation, ValueError) as error:
        raise FundError(message, field=field) from error
    if not number.is_finite():
        raise FundError(message, field=field)
    return number


def change_grant(*, support: Support, days, reason: str, actor) -> GrantChange:
    """The team raises (or lowers) the days granted, with a reason; never below the days
    already consumed."""
    if not permissions.can_manage_fund(actor):
        raise FundError(_("Seule l'équipe du fonds change les jours accordés."))
    reason = (reason or "").strip()
    if not reason:
        raise FundError(_("Écrivez pourquoi les jours accordés changent."), field="reason")
    new_days = parse_decimal(
        days, field="days", message=_("Indiquez un nombre de jours, par exemple 4,5.")
    )
    if new_days <= 0 or new_days > 999 or new_days * 2 != int(new_days * 2):
        raise FundError(
            _("Indiquez un nombre de jours positif, par demi-journées (par exemple 4,5)."),
            field="days",
        )
    with transaction.atomic():
        support = Support.objects.select_for_update(of=("self",)).get(pk=support.pk)
        if support.status in (S.DONE, S.DROPPED):
            raise FundError(_("Cet accompagnement est clos : ses jours ne changent plus."))
        consumed = selectors.days_consumed(support)
        if new_days < consumed:
            raise FundError(
                _("%(days)s jours sont déjà consommés : impossible d'accorder moins.")
                % {"days": text.days(consumed)},
                field="days",
            )
        change = GrantChange.objects.create(
            support=support,
            days_before=support.days_granted,
            days_after=new_days,
            reason=reason[:500],
            actor=actor,
        )
        support.days_granted = new_days
        support.save(update_fields=["days_granted", "updated_at"])
    return change


# --- closing ---------------------------------------------------------------------------------


def clean_report(report: str) -> str:
    """The actor's closing report (a support's or a cohort's), checked."""
    report = (report or "").strip()
    if not report:
        raise FundError(_("Écrivez un court bilan de l'accompagnement."), field="report")
    if len(report) > 5000:
        raise FundError(_("Le bilan tient en 5 000 caractères au plus."), field="report")
    return report


def close_support(*, support: Support, report: str, actor) -> Support:
    """The assigned actor (or the team) closes with a short report (→ terminé)."""
    report = clean_report(report)
    if support.cohort_id is not None:
        raise FundError(
            _("Cet accompagnement est collectif : il se termine avec son groupe, sur sa page.")
        )
    with transaction.atomic():
        Support.objects.filter(pk=support.pk).update(report=report)
        return transition_support(support=support, target=S.DONE, actor=actor)


def give_satisfaction(*, support: Support, score, comment: str, actor) -> Support:
    """The association's satisfaction (1 to 5) and comment, once the support is done."""
    if not permissions.is_support_association(actor, support):
        raise FundError(_("Seuls les membres de l'association donnent leur avis."))
    support = Support.objects.get(pk=support.pk)
    if support.status != S.DONE:
        raise FundError(_("Vous donnerez votre avis une fois l'accompagnement terminé."))
    try:
        value = int(score)
    except (TypeError, ValueError) as error:
        raise FundError(_("Choisissez une note de 1 à 5."), field="score") from error
    if not 1 <= value <= 5:
        raise FundError(_("Choisissez une note de 1 à 5."), field="score")
    support.satisfaction = value
    support.satisfaction_comment = (comment or "").strip()[:2000]
    support.save(update_fields=["satisfaction", "satisfaction_comment", "updated_at"])
    return support
