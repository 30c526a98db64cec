"""The committee's ranking of a call's dossiers: the weighted review score (the grid's
weights, averaged over the submitted reviews) plus the priority points, with the priority
orientations each dossier meets. A few queries for the whole call, whatever its size."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from django.db.models import Count, F, Sum
from django.utils.translation import ngettext

from .. import eligibility
from ..models import Application, ApplicationStatus, Call, PriorityKind, ReviewScore
from ..models.applications import DECIDED_STATUSES
from . import applications as application_selectors

# Dossiers the committee decides on, and those it has decided.
TO_DECIDE = (ApplicationStatus.IN_REVIEW, ApplicationStatus.WAITING_LIST)
SHOWN = (*TO_DECIDE, ApplicationStatus.SUBMITTED, ApplicationStatus.TO_CORRECT, *DECIDED_STATUSES)
TWO_PLACES = Decimal("0.01")
ZERO = Decimal("0")


# The states' French names, read once per row rather than through ``get_status_display``
# (which rebuilds and hashes every choice on each call: most of a 50-row page's time).
STATUS_LABELS = dict(ApplicationStatus.choices)


class Light(NamedTuple):
    """The few fields of a dossier that the ranking needs: hundreds of these are cheap where
    as many model instances were most of the committee page's time (#15 measure)."""

    pk: int
    reference: str
    status: str
    priority_points: int


@dataclass(slots=True)
class Ranked:
    application: Application | Light  # Light in ``ranking``, the whole dossier after details
    score: Decimal | None  # weighted average on 5, None before any submitted review
    reviews: int
    priorities: list = field(default_factory=list)  # eligibility.Priority, met or not
    rank: int = 0  # place in the call's ranking, from 1
    url: str = ""  # the dossier's instruction page (``with_details``)
    letter_url: str = ""  # its decision letter, once decided (``with_details``)

    @property
    def total(self) -> Decimal:
        return (self.score or ZERO) + self.application.priority_points

    @property
    def met(self) -> list:
        return [p for p in self.priorities if p.met]

    @property
    def to_decide(self) -> bool:
        return self.application.status in TO_DECIDE

    @property
    def reviews_label(self) -> str:
        return ngettext("%(n)s évaluation", "%(n)s évaluations", self.reviews) % {"n": self.reviews}

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
    return _scores(review__application_id__in=ids)


def _scores(**where) -> dict[int, tuple[Decimal, int]]:
    rows = (
        ReviewScore.objects.filter(
            review__submitted_at__isnull=False, review__conflict_declared=False, **where
        )
        .values("review__application_id")
        .annotate(
            points=Sum(F("score") * F("criterion__weight")),
            weights=Sum("criterion__weight"),
            reviews=Count("review_id", distinct=True),
        )
        .order_by()
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
    for organisation_id, submitted_at in (
        Application.objects.filter(
            organisation_id__in={a.organisation_id for a in applications},
            submitted_at__isnull=False,
        )
        .order_by()
        .values_list("organisation_id", "submitted_at")
    ):
        dates[organisation_id].append(submitted_at)
    return {
        a.pk: not any(when < a.submitted_at for when in dates[a.organisation_id] if a.submitted_at)
        for a in applications
    }


def ranking(call: Call) -> list[Ranked]:
    """The call's submitted dossiers, those to decide first, best total first. Light rows
    (``Light``, not model instances): only the fields the order needs; ``with_details``
    fills a page's rows with their dossiers."""
    # A score is on the call's criteria: filtering on them spares the join to the dossiers.
    scores = _scores(criterion__call=call)
    rows = [
        Ranked(Light(*values), *scores.get(values[0], (None, 0)))
        for values in Application.objects.filter(call=call, status__in=SHOWN)
        .order_by()
        .values_list("pk", "reference", "status", "priority_points")
    ]
    rows.sort(key=lambda r: (not r.to_decide, -r.total, r.application.reference))
    for rank, row in enumerate(rows, 1):
        row.rank = rank
    return rows


# What a committee row and the decision form read of a dossier, and what its priority
# orientations are computed from: not the texts, documents' data or routing.
DETAIL_FIELDS = (
    "reference",
    "status",
    "priority_points",
    "submitted_at",
    "days_requested",
    "days_granted",
    "amount_granted",
    "decided_at",
    "diagnostic_snapshot",
    "organisation__name",
    "organisation__sector",
    "organisation__commune__population",
    "organisation__commune__department__code",
)


def with_details(call: Call, rows: list[Ranked]) -> list[Ranked]:
    """The rows of one page with their dossier (the fields the committee reads) and the
    priority orientations met."""
    call = Call.objects.prefetch_related("priorities").get(pk=call.pk)
    full = (
        Application.objects.select_related("organisation__commune__department")
        .only("organisation_id", *DETAIL_FIELDS)
        .order_by()
        .in_bulk([r.application.pk for r in rows])
    )
    applications = list(full.values())
    # Whether a dossier is its association's first is one more query: only when it counts.
    needs_first = any(p.kind == PriorityKind.FIRST_APPLICATION for p in call.priorities.all())
    first = _first_applications(applications) if needs_first else {}
    url_of = application_selectors.url_by_reference("fund:instruction")
    letter_of = application_selectors.url_by_reference("fund:decision_letter")
    result = []
    for row in rows:
        application = full[row.application.pk]
        application.call = call
        snapshot = application_selectors.snapshot_from_json(application.diagnostic_snapshot)
        priorities = eligibility.priorities(
            call,
            application.organisation,
            snapshot,
            first_application=first.get(application.pk, False),
        )
        reference = application.reference
        result.append(
            Ranked(
                application,
                row.score,
                row.reviews,
                priorities,
                row.rank,
                url=url_of(reference),
                letter_url=letter_of(reference) if application.decided_at else "",
            )
        )
    return result
