"""Sessions of a support (part 2): the assigned actor logs what was delivered, each
association confirms or contests it.

A cohort's session is logged once for the group: one ``SessionCheck`` per live member,
each saying whether that association attended (``attended``); when it delivers a session
the cohort planned in the agenda (a ``CohortEvent``), the log keeps the event's id and the
page pre-fills the associations present from the attendance the organisers marked there.
The first session starts the support (or the cohort) through its transition function.
"""

from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ressourcerie.core.services import queue_email

from .. import permissions, text
from ..errors import FundError
from ..models import (
    CheckStatus,
    Cohort,
    CohortEvent,
    CohortStatus,
    DurationUnit,
    SessionCheck,
    SessionLog,
    Support,
    SupportStatus,
)
from ..selectors import support as selectors
from .support import parse_decimal, transition_cohort, transition_support
from .support_states import COHORT_MACHINE, SUPPORT_MACHINE

S = SupportStatus
C = CohortStatus


def session_days(duration: Decimal, unit: str) -> Decimal:
    if unit == DurationUnit.HALF_DAYS:
        return (duration / 2).quantize(Decimal("0.01"))
    return (duration / Decimal(settings.FUND_HOURS_PER_DAY)).quantize(Decimal("0.01"))


def _check_session_input(*, held_on, duration, unit, action_keys, allowed_keys, starts_on):
    if held_on is None:
        raise FundError(_("Indiquez la date de la séance."), field="held_on")
    if held_on > timezone.localdate():
        raise FundError(
            _("La séance est datée dans le futur : enregistrez-la une fois tenue."),
            field="held_on",
        )
    if starts_on and held_on < starts_on:
        raise FundError(
            _("La séance est datée avant le début de l'accompagnement (le %(date)s).")
            % {"date": starts_on.strftime("%d/%m/%Y")},
            field="held_on",
        )
    if unit not in DurationUnit.values:
        raise FundError(_("Choisissez l'unité : heures ou demi-journées."), field="unit")
    number = parse_decimal(
        duration, field="duration", message=_("Indiquez une durée, par exemple 3 ou 1,5.")
    )
    limit = Decimal("24") if unit == DurationUnit.HOURS else Decimal("10")
    if number <= 0 or number > limit:
        raise FundError(
            _("Indiquez une durée positive d'au plus %(limit)s %(unit)s.")
            % {"limit": limit, "unit": DurationUnit(unit).label},
            field="duration",
        )
    keys = [key for key in action_keys or [] if key]
    unknown = [key for key in keys if key not in allowed_keys]
    if unknown:
        raise FundError(
            _("Choisissez les actions parmi celles de l'accompagnement."), field="action_keys"
        )
    if not keys:
        raise FundError(_("Cochez au moins une action travaillée."), field="action_keys")
    return number, keys


def _lock_support(support, actor):
    subject = (
        Support.objects.select_for_update(of=("self",)).select_related("actor").get(pk=support.pk)
    )
    if not permissions.is_assigned_actor(actor, subject):
        raise FundError(_("Seul l'acteur attribué à cet accompagnement y enregistre des séances."))
    if subject.status not in (S.ASSIGNED, S.RUNNING):
        raise FundError(
            _("Cet accompagnement est « %(state)s » : on n'y enregistre plus de séance.")
            % {"state": SUPPORT_MACHINE.label(subject.status)}
        )
    return subject


def _lock_cohort(cohort, actor):
    subject = Cohort.objects.select_for_update(of=("self",)).get(pk=cohort.pk)
    if not permissions.is_cohort_actor(actor, subject):
        raise FundError(_("Seul l'acteur attribué à ce groupe y enregistre des séances."))
    if subject.status not in (C.ASSIGNED, C.RUNNING):
        raise FundError(
            _("Ce groupe est « %(state)s » : on n'y enregistre plus de séance.")
            % {"state": COHORT_MACHINE.label(subject.status)}
        )
    return subject


def _check_event(cohort: Cohort, event_id) -> int | None:
    """The cohort's planned agenda event this session delivers, not logged yet."""
    if event_id in (None, ""):
        return None
    if not CohortEvent.objects.filter(cohort=cohort, event_id=event_id).exists():
        raise FundError(_("Cette séance programmée n'est pas une séance de ce groupe."))
    logged = SessionLog.objects.filter(event_id=event_id).first()
    if logged is not None:
        raise FundError(
            _("Cette séance programmée est déjà enregistrée (séance du %(date)s).")
            % {"date": logged.held_on.strftime("%d/%m/%Y")}
        )
    return int(event_id)


def _present(members, present_ids) -> set[int]:
    """The members' supports whose association attended (all when not said)."""
    ids = {member.pk for member in members}
    if present_ids is None:
        return ids
    chosen = set()
    for value in present_ids:
        if not str(value).isdigit() or int(value) not in ids:
            raise FundError(
                _("Choisissez les associations présentes parmi celles du groupe."),
                field="present",
            )
        chosen.add(int(value))
    if not chosen:
        raise FundError(_("Cochez au moins une association présente."), field="present")
    return chosen


def log_session(
    *,
    support: Support | None = None,
    cohort: Cohort | None = None,
    held_on,
    duration,
    unit: str,
    action_keys,
    attendees: str = "",
    note: str = "",
    actor,
    event_id: int | None = None,
    present_ids=None,
) -> SessionLog:
    """The assigned actor logs a session of an individual support or of a cohort (one
    ``SessionCheck`` per member support, saying who attended; ``present_ids``: the member
    supports present, all when None; ``event_id``: the cohort's planned agenda event it
    delivers); the first session starts it (→ en cours). Refused beyond the days granted,
    before the start, in the future, or by anyone else."""
    if (support is None) == (cohort is None):
        raise FundError(_("Une séance concerne un accompagnement ou un groupe."))
    if support is not None and event_id is not None:
        raise FundError(_("Seules les séances d'un groupe sont programmées dans l'agenda."))
    with transaction.atomic():
        if support is not None:
            subject = _lock_support(support, actor)
            members = [subject]
            allowed_keys = set(subject.action_keys)
            starts_on = subject.starts_on
            present = None
        else:
            subject = _lock_cohort(cohort, actor)
            members = list(
                subject.supports.filter(status__in=[S.ASSIGNED, S.RUNNING]).select_related(
                    "application__organisation"
                )
            )
            allowed_keys = set(subject.action_keys) | {k for m in members for k in m.action_keys}
            starts = [m.starts_on for m in members if m.starts_on]
            starts_on = min(starts) if starts else None
            event_id = _check_event(subject, event_id)
            present = _present(members, present_ids)
        number, keys = _check_session_input(
            held_on=held_on,
            duration=duration,
            unit=unit,
            action_keys=action_keys,
            allowed_keys=allowed_keys,
            starts_on=starts_on,
        )
        days = session_days(number, unit)
        for member in members:
            _check_grant(member, days)
        session = SessionLog.objects.create(
            support=support and subject,
            cohort=cohort and subject,
            held_on=held_on,
            duration=number,
            unit=unit,
            days=days,
            action_keys=keys,
            attendees=(attendees or "").strip()[:500],
            note=(note or "").strip()[:2000],
            logged_by=actor,
            event_id=event_id,
        )
        SessionCheck.objects.bulk_create(
            [
                SessionCheck(
                    session=session,
                    support=member,
                    attended=None if present is None else member.pk in present,
                )
                for member in members
            ]
        )
        # The first session starts it (a cohort's members follow their cohort).
        if cohort is not None and subject.status == C.ASSIGNED:
            transition_cohort(cohort=subject, target=C.RUNNING, actor=actor)
        elif support is not None and subject.status == S.ASSIGNED:
            transition_support(support=subject, target=S.RUNNING, actor=actor)
        for member in members:
            queue_email(
                purpose="fund.session_logged", ids={"session": session.pk, "support": member.pk}
            )
    return session


def _check_grant(member: Support, days: Decimal) -> None:
    used = selectors.days_used(member)
    if used.consumed + days > member.days_granted:
        raise FundError(
            _(
                "Cette séance (%(days)s jour(s)) dépasserait les %(granted)s jours accordés "
                "à %(organisation)s (%(consumed)s déjà consommés) : demandez à l'équipe "
                "du fonds d'augmenter les jours accordés."
            )
            % {
                "days": text.days(days),
                "granted": text.days(member.days_granted),
                "organisation": member.application.organisation.name,
                "consumed": text.days(used.consumed),
            },
            field="duration",
        )


def check_session(
    *, session: SessionLog, support: Support, confirmed: bool, comment: str, actor
) -> SessionCheck:
    """The association confirms or contests (with a comment) one session."""
    if not permissions.is_support_association(actor, support):
        raise FundError(_("Seuls les membres de l'association confirment ses séances."))
    comment = (comment or "").strip()
    if not confirmed and not comment:
        raise FundError(_("Dites ce qui ne correspond pas à la séance."), field="comment")
    with transaction.atomic():
        check = (
            SessionCheck.objects.select_for_update(of=("self",))
            .filter(session=session, support=support)
            .first()
        )
        if check is None:
            raise FundError(_("Cette séance ne concerne pas votre accompagnement."))
        check.status = CheckStatus.CONFIRMED if confirmed else CheckStatus.CONTESTED
        check.comment = comment[:1000]
        check.checked_by = actor
        check.checked_at = timezone.now()
        check.save(update_fields=["status", "comment", "checked_by", "checked_at", "updated_at"])
        if not confirmed:
            queue_email(purpose="fund.session_contested", ids={"check": check.pk})
    return check
