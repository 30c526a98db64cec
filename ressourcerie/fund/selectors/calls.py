"""Calls: what the public sees, and each call's budget (euros and days) as decisions are made."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from ..models import Application, Call, CallStatus
from ..models.applications import ACCEPTED_STATUSES
from ..models.calls import PUBLIC_CALL_STATUSES


def public_calls():
    """Calls the public may see, open ones first, then upcoming, then closed."""
    return Call.objects.filter(status__in=PUBLIC_CALL_STATUSES).order_by("status", "-opens_on")


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
