"""The committee's ranking of a call's dossiers: the weighted review score (the grid's
weights, averaged over the submitted reviews) plus the priority points, with the priority
orientations each dossier meets. A few queries for the whole call, whatever its size."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Sum

from .. import eligibility
from ..models import Application, ApplicationStatus, Call, ReviewScore
from ..models.applications import DECIDED_STATUSES
from . import applications as application_selectors

# Dossiers the committee decides on, and those it has decided.
TO_DECIDE = (ApplicationStatus.IN_REVIEW, ApplicationStatus.WAITING_LIST)
SHOWN = (*TO_DECIDE, ApplicationStatus.SUBMITTED, ApplicationStatus.TO_CORRECT, *DECIDED_STATUSES)
TWO_PLACES = Decimal("0.01")


# The states' French names, read once per row rather than through ``get_status_display``
# (which rebuilds and hashes every choice on each call: most of a 50-row page's time).
STATUS_LABELS = dict(ApplicationStatus.choices)


@dataclass(frozen=True)
class Light:
    """The few fields of a dossier that the ranking needs: hundreds of these are cheap where
    as many model instances were most of the committee page's time (#15 measure)."""

    pk: int
    reference: str
    status: str
    priority_points: int


@dataclass
class Ranked:
    application: Application | Light  # Light in ``ranking``, the whole dossier after details
    score: Decimal | None  # weighted average on 5, None before any submitted review
    reviews: int
    priorities: list = field(default_factory=list)  # eligibility.Priority, met or not

    @property
    def total(self) -> Decimal:
        return (self.score or Decimal("0")) + self.application.priority_points

    @property
    def met(self) -> list:
        return [p for p in self.priorities if p.met]

    @property
    def to_decide(self) -> bool:
        return self.application.status in TO_DECIDE

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.application.status, self.application.status)


def weighted_scores(applications) -> dict[int, tuple[Decimal, int]]:
    """{application id: (weighted score on 5, number of submitted reviews)}. Every submitted
    review scores every criterion, so Σ(score × weight) / Σ(weight) over all its scores is the
    average of each review's weighted score. ``applications``: objects or a queryset."""
    ids = (
        applications.values("pk")
        if hasattr(applications, "values")
        else [a.pk for a in applications]
    )
    rows = (
        ReviewScore.objects.filter(
            review__application_id__in=ids,
            review__submitted_at__isnull=False,
            review__conflict_declared=False,
        )
        .values("review__application_id")
        .annotate(
            points=Sum(F("score") * F("criterion__weight")),
            weights=Sum("criterion__weight"),
            reviews=Count("review_id", distinct=True),
        )
    )
    return {
        row["review__application_id"]: (
            (Decimal(row["points"]) / Decimal(row["weights"])).quantize(
                TWO_PLACES, rounding=ROUND_HALF_UP
            ),
            row["reviews"],
        )
        for row in rows
        if row["weights"]
    }


def _first_applications(applications) -> dict[int, bool]:
    """Whether each dossier was its association's first submitted one (as at submission)."""
    dates = defaultdict(list)
    for organisation_id, submitted_at in Application.objects.filter(
        organisation_id__in={a.organisation_id for a in applications},
        submitted_at__isnull=False,
    ).values_list("organisation_id", "submitted_at"):
        dates[organisation_id].append(submitted_at)
    return {
        a.pk: not any(when < a.submitted_at for when in dates[a.organisation_id] if a.submitted_at)
        for a in applications
    }


def ranking(call: Call) -> list[Ranked]:
    """The call's submitted dossiers, those to decide first, best total first. Light rows
    (``Light``, not model instances): only the fields the order needs; ``with_details``
    fills a page's rows with their dossiers."""
    shown = Application.objects.filter(call=call, status__in=SHOWN)
    scores = weighted_scores(shown)
    rows = [
        Ranked(Light(*values), *scores.get(values[0], (None, 0)))
        for values in shown.values_list("pk", "reference", "status", "priority_points")
    ]
    rows.sort(key=lambda r: (not r.to_decide, -r.total, r.application.reference))
    return rows


def with_details(call: Call, rows: list[Ranked]) -> list[Ranked]:
    """The rows of one page with their whole dossier and the priority orientations met."""
    call = Call.objects.prefetch_related("priorities").get(pk=call.pk)
    full = Application.objects.select_related("organisation__commune__department", "group").in_bulk(
        [r.application.pk for r in rows]
    )
    applications = list(full.values())
    first = _first_applications(applications)
    result = []
    for row in rows:
        application = full[row.application.pk]
        application.call = call
        snapshot = application_selectors.snapshot_from_json(application.diagnostic_snapshot)
        priorities = eligibility.priorities(
            call, application.organisation, snapshot, first_application=first[application.pk]
        )
        result.append(Ranked(application, row.score, row.reviews, priorities))
    return result
