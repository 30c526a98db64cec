"""Calls: what the public sees, and each call's budget (euros and days) as decisions are made."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from ..models import Application, Call, CallStatus
from ..models.applications import ACCEPTED_STATUSES
from ..models.calls import PUBLIC_CALL_STATUSES


def public_calls():
    """Calls the public may see, open ones first, then upcoming, then closed."""
    return Call.objects.filter(status__in=PUBLIC_CALL_STATUSES).order_by(
        "status", "-opens_on", "pk"
    )


def open_calls():
    return Call.objects.filter(status=CallStatus.OPEN).order_by("closes_on")


def call_by_slug(slug: str) -> Call | None:
    return Call.objects.filter(slug=slug).first()


@dataclass(frozen=True)
class Budget:
    euros_total: int
    euros_committed: int
    days_total: Decimal
    days_committed: Decimal

    @property
    def euros_left(self) -> int:
        return self.euros_total - self.euros_committed

    @property
    def days_left(self) -> Decimal:
        return self.days_total - self.days_committed


def budget_of(call: Call) -> Budget:
    """What the accepted applications of the call have committed (read live)."""
    totals = Application.objects.filter(call=call, status__in=ACCEPTED_STATUSES).aggregate(
        euros=Sum("amount_granted"), days=Sum("days_granted")
    )
    return Budget(
        euros_total=call.budget_euros,
        euros_committed=totals["euros"] or 0,
        days_total=call.budget_days,
        days_committed=totals["days"] or Decimal("0"),
    )


def calls_by_section() -> dict[str, list[Call]]:
    """The public list: open calls (closing soonest first), upcoming, then closed ones."""
    sections = {"open": [], "upcoming": [], "closed": []}
    key = {
        CallStatus.OPEN: "open",
        CallStatus.PUBLISHED: "upcoming",
        CallStatus.CLOSED: "closed",
    }
    for call in public_calls().prefetch_related("departments"):
        sections[key[call.status]].append(call)
    sections["open"].sort(key=lambda c: c.closes_on)
    sections["upcoming"].sort(key=lambda c: c.opens_on)
    return sections


def call_page(slug: str) -> Call | None:
    """A call with everything its page shows."""
    return (
        Call.objects.filter(slug=slug)
        .prefetch_related("departments", "priorities", "documents", "criteria")
        .first()
    )


def is_public(call: Call) -> bool:
    return call.status in PUBLIC_CALL_STATUSES


def staff_calls():
    return Call.objects.order_by("-opens_on", "title")


def open_calls_for(department) -> list[Call]:
    """Open calls an association of ``department`` may answer (None: every open call)."""
    calls = list(open_calls().prefetch_related("departments"))
    if department is None:
        return calls
    return [c for c in calls if not c.departments.all() or department in list(c.departments.all())]


def latest_public_calls(limit: int = 20):
    return public_calls().order_by("-updated_at")[:limit]


def accepted_applications():
    """Decisions published as open data: accepted dossiers (with or without conditions)."""
    return (
        Application.objects.filter(status__in=ACCEPTED_STATUSES, decided_at__isnull=False)
        .select_related("call", "organisation")
        .only(
            "reference",
            "support_format",
            "days_granted",
            "amount_granted",
            "cofunding",
            "submitted_at",
            "decided_at",
            "call__title",
            "call__day_value_euros",
            "organisation__name",
            "organisation__siret",
            "organisation__rna",
        )
        .order_by("decided_at", "pk")
    )
