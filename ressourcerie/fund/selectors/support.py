"""Reads of the support itself (part 2): offers and their private links, days consumed,
the lists of the association, the actor and the team, capacity per quarter."""

from base64 import urlsafe_b64encode
from dataclasses import dataclass
from datetime import UTC, date
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, Sum
from django.utils import timezone
from django.utils.crypto import salted_hmac

from ressourcerie.accounts.models import Membership, Role
from ressourcerie.agenda import selectors as agenda_selectors
from ressourcerie.core.tokens import hash_token

from ..models import (
    CheckStatus,
    Cohort,
    CohortEvent,
    CohortStatus,
    Offer,
    OfferStatus,
    Provider,
    SessionCheck,
    SessionLog,
    Support,
    SupportStatus,
)

OFFER_SALT = "ressourcerie.fund.offer"
# Statuses in which the actor holds the support and its days count against its capacity.
HELD_STATUSES = (SupportStatus.ASSIGNED, SupportStatus.RUNNING, SupportStatus.DONE)
HELD_COHORT_STATUSES = (CohortStatus.ASSIGNED, CohortStatus.RUNNING, CohortStatus.DONE)
LIVE_STATUSES = (
    SupportStatus.TO_ASSIGN,
    SupportStatus.OFFERED,
    SupportStatus.ASSIGNED,
    SupportStatus.RUNNING,
)
ZERO = Decimal("0")


# --- offers' private links ------------------------------------------------------------------


def offer_secret(offer: Offer) -> str:
    """The offer's private link token, derived from its id, creation time and SECRET_KEY:
    the worker makes it again when it sends, the database keeps only its hash."""
    created = offer.created_at.astimezone(UTC).strftime("%Y%m%d%H%M%S%f")
    digest = salted_hmac(OFFER_SALT, f"{offer.pk}:{created}", algorithm="sha256").digest()
    return urlsafe_b64encode(digest).decode().rstrip("=")


def offer_by_token(raw: str) -> Offer | None:
    """The offer a private link names, whatever its state (the page says when it no longer
    serves), or None for a link never sent."""
    if not raw or len(raw) > 100:
        return None
    return (
        Offer.objects.select_related(
            "actor",
            "support__application__call",
            "support__application__organisation__commune__department",
            "cohort__call",
        )
        .filter(token_hash=hash_token(raw))
        .first()
    )


def offers_of(*, support=None, cohort=None):
    queryset = Offer.objects.select_related("actor", "answered_by").order_by("created_at", "pk")
    return (
        queryset.filter(support=support) if support is not None else queryset.filter(cohort=cohort)
    )


def proposed_actor_ids(*, support=None, cohort=None) -> set[int]:
    """Actors already asked for this support or cohort (whatever their answer)."""
    return set(offers_of(support=support, cohort=cohort).values_list("actor_id", flat=True))


def expired_open_offers(now):
    return Offer.objects.filter(status=OfferStatus.SENT, expires_at__lt=now)


# --- days ------------------------------------------------------------------------------------


def days_consumed(support: Support) -> Decimal:
    """Days of the support's sessions: its own, and for a cohort member the cohort's sessions
    (each member consumes the session's days). Contested sessions count until the team
    settles them."""
    own = SessionLog.objects.filter(support=support).aggregate(total=Sum("days"))["total"]
    shared = ZERO
    if support.cohort_id:
        shared = SessionCheck.objects.filter(
            support=support, session__cohort_id=support.cohort_id
        ).aggregate(total=Sum("session__days"))["total"]
    return (own or ZERO) + (shared or ZERO)


def cohort_days_consumed(cohort: Cohort) -> Decimal:
    total = SessionLog.objects.filter(cohort=cohort).aggregate(total=Sum("days"))["total"]
    return total or ZERO


@dataclass(frozen=True)
class DaysUsed:
    granted: Decimal
    consumed: Decimal

    @property
    def left(self) -> Decimal:
        return max(self.granted - self.consumed, ZERO)

    @property
    def percent(self) -> int:
        if not self.granted:
            return 0
        return min(100, round(100 * self.consumed / self.granted))


def days_used(support: Support) -> DaysUsed:
    return DaysUsed(granted=support.days_granted, consumed=days_consumed(support))


# --- capacity --------------------------------------------------------------------------------


def quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def days_committed_this_quarter(organisation_ids, today: date | None = None) -> dict[int, Decimal]:
    """``{organisation_id: days}`` the actors hold this quarter: the days granted to their
    individual supports started this quarter, and the days planned for their cohorts whose
    members started this quarter (two queries)."""
    start = quarter_start(today or timezone.localdate())
    ids = list(organisation_ids)
    totals: dict[int, Decimal] = {}
    rows = (
        Support.objects.filter(
            actor_id__in=ids, cohort__isnull=True, status__in=HELD_STATUSES, starts_on__gte=start
        )
        .values("actor_id")
        .annotate(total=Sum("days_granted"))
    )
    for row in rows:
        totals[row["actor_id"]] = row["total"] or ZERO
    started = Support.objects.filter(cohort=OuterRef("pk"), starts_on__gte=start)
    cohorts = (
        Cohort.objects.filter(actor_id__in=ids, status__in=HELD_COHORT_STATUSES)
        .filter(Exists(started))
        .values_list("actor_id", "days_planned")
    )
    for actor_id, days in cohorts:
        totals[actor_id] = totals.get(actor_id, ZERO) + (days or ZERO)
    return totals


def active_providers():
    return Provider.objects.filter(is_active=True).select_related("organisation")


def providers():
    return Provider.objects.select_related("organisation", "approved_by").order_by(
        "-is_active", "organisation__name"
    )


def provider_by_pk(pk: int) -> Provider | None:
    return providers().filter(pk=pk).first()


def days_left_this_quarter(provider: Provider, today: date | None = None) -> Decimal:
    held = days_committed_this_quarter([provider.organisation_id], today).get(
        provider.organisation_id, ZERO
    )
    return max(provider.days_per_quarter - held, ZERO)


# --- lists and pages ---------------------------------------------------------------------------


def _supports():
    return Support.objects.select_related(
        "application__call",
        "application__organisation__commune__department",
        "actor",
        "cohort",
    )


def support_by_reference(reference: str) -> Support | None:
    return _supports().filter(application__reference=reference).first()


def support_of_application(application) -> Support | None:
    return _supports().filter(application=application).first()


def supports_of_actor_user(user):
    """The supports assigned now to a structure where the person is member or editor."""
    if not getattr(user, "is_authenticated", False):
        return Support.objects.none()
    structures = Membership.objects.filter(user=user, role__in=[Role.MEMBER, Role.EDITOR]).values(
        "organisation_id"
    )
    return _supports().filter(actor_id__in=structures).order_by("-assigned_at", "-pk")


def supports_of_association_user(user):
    if not getattr(user, "is_authenticated", False):
        return Support.objects.none()
    return (
        _supports()
        .filter(application__organisation__memberships__user=user)
        .distinct()
        .order_by("-created_at")
    )


def open_offers_of_user(user):
    """Offers waiting for an answer from the person's structures (shown on their list)."""
    if not getattr(user, "is_authenticated", False):
        return Offer.objects.none()
    structures = Membership.objects.filter(user=user, role__in=[Role.MEMBER, Role.EDITOR]).values(
        "organisation_id"
    )
    return Offer.objects.filter(actor_id__in=structures, status=OfferStatus.SENT).select_related(
        "actor", "support__application__organisation__commune", "cohort"
    )


def staff_supports(*, status: str = "", call_id: int | None = None):
    queryset = _supports().order_by("status", "-created_at")
    if status:
        queryset = queryset.filter(status=status)
    if call_id:
        queryset = queryset.filter(application__call_id=call_id)
    return queryset


def sessions_of(support: Support):
    """The support's sessions (its own and its cohort's), each with this support's check."""
    sessions = (
        SessionLog.objects.filter(
            Q(support=support) | Q(cohort_id=support.cohort_id, cohort__isnull=False)
        )
        .select_related("logged_by")
        .order_by("held_on", "pk")
    )
    checks = {c.session_id: c for c in SessionCheck.objects.filter(support=support)}
    result = []
    for session in sessions:
        session.check = checks.get(session.pk)
        result.append(session)
    return result


def pending_checks_count(support: Support) -> int:
    return SessionCheck.objects.filter(support=support, status=CheckStatus.PENDING).count()


def history_of(support: Support):
    return support.transitions.select_related("actor").order_by("at", "pk")


def grant_changes_of(support: Support):
    return support.grant_changes.select_related("actor")


def actions_of(support: Support) -> list[dict]:
    """The plan actions the support covers, with their titles from the dossier's snapshot
    (``{"key", "title", "axis_name"}``), in the snapshot's order."""
    wanted = set(support.action_keys or [])
    snapshot = support.application.diagnostic_snapshot or {}
    found = [a for a in snapshot.get("actions", []) if a.get("key") in wanted]
    known = {a["key"] for a in found}
    found += [
        {"key": k, "title": k, "axis_name": ""} for k in support.action_keys if k not in known
    ]
    return found


def cohort_actions(cohort: Cohort) -> list[dict]:
    """The actions a cohort's sessions may cover: its members' actions, once each."""
    seen: dict[str, dict] = {}
    for member in cohort.supports.select_related("application"):
        for action in actions_of(member):
            seen.setdefault(action["key"], action)
    return list(seen.values())


# --- a cohort's sessions ---------------------------------------------------------------------


def cohort_sessions(cohort: Cohort) -> list[SessionLog]:
    """The cohort's delivered sessions, each with ``checks``: every member association's
    word and attendance, by association name."""
    sessions = list(
        SessionLog.objects.filter(cohort=cohort)
        .prefetch_related("checks__support__application__organisation")
        .order_by("held_on", "pk")
    )
    for session in sessions:
        session.member_checks = sorted(
            session.checks.all(), key=lambda c: c.support.application.organisation.name
        )
    return sessions


def planned_sessions(cohort: Cohort) -> list:
    """The cohort's planned sessions (agenda events, past ones included), each with
    ``attendance`` (association id → the attendance marked in the agenda) and ``logged``
    (the date of the session log that delivered it, or None)."""
    ids = CohortEvent.objects.filter(cohort=cohort).values_list("event_id", flat=True)
    events = agenda_selectors.events_with_attendance(ids)
    logged = dict(
        SessionLog.objects.filter(event_id__in=[e.pk for e in events]).values_list(
            "event_id", "held_on"
        )
    )
    for event in events:
        event.logged = logged.get(event.pk)
    return events
