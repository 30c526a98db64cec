"""The team's dashboard of the fund (docs/parts/fund.md, Part 2, flow 6), per call or overall:
budget committed and consumed, dossiers and supports by status, department, sector and
priority criterion, delays, progress per axis after support (counts behind each figure,
hidden under ``FUND_IMPACT_MIN_COUNT``), the actors' load. A handful of grouped queries,
whatever the number of dossiers (bench/fund_support.py)."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Count,
    Exists,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce, TruncDate
from django.utils.translation import gettext as _

from ressourcerie.core.models import Department
from ressourcerie.core.models.organisations import Sector

from ..models import (
    Application,
    ApplicationStatus,
    Call,
    PriorityKind,
    Provider,
    SessionCheck,
    SessionLog,
    Support,
    SupportStatus,
)
from ..models.applications import ACCEPTED_STATUSES, DECIDED_STATUSES
from .support_impact import AxisFigure, progress_by_axis

LIVE_SUPPORT = (SupportStatus.ASSIGNED, SupportStatus.RUNNING)


@dataclass
class Count_:
    label: str
    count: int


@dataclass
class ActorLoad:
    name: str
    supports: int
    cohorts: int
    days_granted: Decimal
    days_consumed: Decimal
    days_per_quarter: Decimal | None


@dataclass
class Dashboard:
    call: Call | None
    euros_total: int = 0
    euros_committed: int = 0
    days_total: Decimal = Decimal("0")
    days_committed: Decimal = Decimal("0")
    days_consumed: Decimal = Decimal("0")
    euros_consumed: int = 0
    applications_by_status: list[Count_] = field(default_factory=list)
    supports_by_status: list[Count_] = field(default_factory=list)
    supports_by_department: list[Count_] = field(default_factory=list)
    supports_by_sector: list[Count_] = field(default_factory=list)
    supports_by_priority: list[Count_] = field(default_factory=list)
    days_to_decision: float | None = None
    decisions_counted: int = 0
    days_to_first_session: float | None = None
    first_sessions_counted: int = 0
    progress: list[AxisFigure] = field(default_factory=list)
    actors: list[ActorLoad] = field(default_factory=list)

    @property
    def supports_total(self) -> int:
        return sum(c.count for c in self.supports_by_status)


def _counts(rows, labels) -> list[Count_]:
    return [Count_(str(labels.get(key, key) or _("non renseigné")), n) for key, n in rows if n]


def _budget(board: Dashboard, calls, applications) -> None:
    board.euros_total = sum(c.budget_euros for c in calls)
    board.days_total = sum((c.budget_days for c in calls), Decimal("0"))
    committed = applications.filter(status__in=ACCEPTED_STATUSES).aggregate(
        euros=Sum("amount_granted"), days=Sum("days_granted")
    )
    board.euros_committed = committed["euros"] or 0
    board.days_committed = committed["days"] or Decimal("0")
    value = {c.pk: c.day_value_euros for c in calls}
    consumed = Decimal("0")
    euros = Decimal("0")
    for call_id, days in _session_days_by_call(calls):
        consumed += days
        euros += days * value.get(call_id, 0)
    board.days_consumed = consumed
    board.euros_consumed = int(euros)


def _session_days_by_call(calls):
    """Days consumed per call: each support's own sessions, and for a cohort's member each
    cohort session it is asked to confirm (as ``selectors.support.days_consumed`` counts)."""
    ids = [c.pk for c in calls]
    per_call = defaultdict(lambda: Decimal("0"))
    for call_id, days in (
        SessionLog.objects.filter(support__application__call_id__in=ids)
        .values_list("support__application__call_id")
        .annotate(total=Sum("days"))
    ):
        per_call[call_id] += days or 0
    for call_id, days in (
        SessionCheck.objects.filter(
            support__application__call_id__in=ids, session__cohort__isnull=False
        )
        .values_list("support__application__call_id")
        .annotate(total=Sum("session__days"))
    ):
        per_call[call_id] += days or 0
    return per_call.items()


def _criterion_filter(criterion) -> Q | None:
    """The supports meeting one priority criterion, as a filter (same rules as
    ``eligibility.priorities``); None for the diagnostic axis, read from the snapshots."""
    organisation = "application__organisation__"
    if criterion.kind == PriorityKind.RURAL:
        return Q(**{f"{organisation}commune__population__lt": int(criterion.parameter or 0)})
    if criterion.kind == PriorityKind.SECTOR:
        return Q(**{f"{organisation}sector": criterion.parameter})
    if criterion.kind == PriorityKind.DEPARTMENT:
        return Q(**{f"{organisation}commune__department__code": criterion.parameter})
    if criterion.kind == PriorityKind.FIRST_APPLICATION:
        earlier = Application.objects.filter(
            organisation_id=OuterRef("application__organisation_id"),
            submitted_at__lt=OuterRef("application__submitted_at"),
        )
        return ~Exists(earlier)
    return None


def _by_priority(calls, supports) -> list[Count_]:
    """How many supports meet each priority criterion of their call: one query counts every
    criterion of every call (a conditional count each); the diagnostic-axis ones are read
    from the snapshots' axes, only for the calls that have one."""
    met = Counter()
    counts, axis_criteria = {}, defaultdict(list)
    for call in calls:
        for criterion in call.priorities.all():
            condition = _criterion_filter(criterion)
            if condition is None:
                axis_criteria[call.pk].append(criterion)
            else:
                counts[f"c{criterion.pk}"] = (
                    criterion,
                    Count("pk", filter=Q(application__call_id=call.pk) & condition),
                )
    if counts:
        totals = supports.aggregate(**{alias: count for alias, (_c, count) in counts.items()})
        for alias, (criterion, _count) in counts.items():
            met[criterion.label] += totals[alias]
    if axis_criteria:
        for call_id, axes in supports.filter(
            application__call_id__in=list(axis_criteria)
        ).values_list("application__call_id", "application__diagnostic_snapshot__axes"):
            flagged = {a["key"] for a in axes or [] if a.get("priority")}
            for criterion in axis_criteria[call_id]:
                met[criterion.label] += criterion.parameter in flagged
    return [Count_(label, n) for label, n in met.most_common() if n]


class _MillisecondsBetween(Func):
    """``end - start`` (two datetimes) in whole milliseconds, computed by the database
    itself: Django's datetime subtraction calls back into Python for every row on SQLite.
    Milliseconds on both engines, so both give the same figures."""

    arity = 2
    output_field = IntegerField()

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="CAST(ROUND((julianday(%(expressions)s)) * 86400000) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra,
        )

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="CAST(ROUND(EXTRACT(EPOCH FROM (%(expressions)s)) * 1000) AS BIGINT)",
            arg_joiner=" - ",
            **extra,
        )


class _DaysBetween(Func):
    """``end - start`` (two dates) in days, by the database (see above)."""

    arity = 2
    output_field = IntegerField()

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra,
        )

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler, connection, template="(%(expressions)s)", arg_joiner=" - ", **extra
        )


def _mean(total, count: int, unit: int) -> float | None:
    """The mean of ``count`` values summing to ``total`` (in 1/``unit`` days), in days to
    a tenth."""
    if not count or total is None:
        return None
    return round(float(total) / unit / count, 1)


def _delays(board: Dashboard, applications, supports) -> None:
    """Mean days from deposit to decision, and from the decision (the day in Paris) to the
    first session (its own, else its cohort's): two aggregates, no row read."""
    decided = applications.filter(
        status__in=DECIDED_STATUSES, decided_at__isnull=False, submitted_at__isnull=False
    ).aggregate(total=Sum(_MillisecondsBetween("decided_at", "submitted_at")), n=Count("pk"))
    board.days_to_decision = _mean(decided["total"], decided["n"], 86_400_000)
    board.decisions_counted = decided["n"]
    sessions = SessionLog.objects.order_by("held_on").values("held_on")
    first = Coalesce(
        Subquery(sessions.filter(support=OuterRef("pk"))[:1]),
        Subquery(sessions.filter(cohort=OuterRef("cohort_id"))[:1]),
    )
    gaps = (
        supports.filter(application__decided_at__isnull=False)
        .annotate(first=first)
        .filter(first__isnull=False)
        .aggregate(
            total=Sum(_DaysBetween("first", TruncDate("application__decided_at"))),
            n=Count("pk"),
        )
    )
    board.days_to_first_session = _mean(gaps["total"], gaps["n"], 1)
    board.first_sessions_counted = gaps["n"]


def _actors(supports) -> list[ActorLoad]:
    live = supports.filter(status__in=LIVE_SUPPORT, actor__isnull=False)
    loads: dict[int, dict] = defaultdict(
        lambda: {"name": "", "supports": 0, "cohorts": set(), "granted": Decimal("0")}
    )
    for actor_id, name, cohort_id, days in live.values_list(
        "actor_id", "actor__name", "cohort_id", "days_granted"
    ):
        load = loads[actor_id]
        load["name"] = name
        load["supports"] += 1
        load["granted"] += days or 0
        if cohort_id:
            load["cohorts"].add(cohort_id)
    consumed = defaultdict(lambda: Decimal("0"))
    for actor_id, days in (
        SessionLog.objects.filter(support__in=live)
        .values_list("support__actor_id")
        .annotate(total=Sum("days"))
    ):
        consumed[actor_id] += days or 0
    for actor_id, days in (
        SessionCheck.objects.filter(support__in=live, session__cohort__isnull=False)
        .values_list("support__actor_id")
        .annotate(total=Sum("session__days"))
    ):
        consumed[actor_id] += days or 0
    quarters = dict(Provider.objects.values_list("organisation_id", "days_per_quarter"))
    return sorted(
        (
            ActorLoad(
                name=load["name"],
                supports=load["supports"],
                cohorts=len(load["cohorts"]),
                days_granted=load["granted"],
                days_consumed=consumed[actor_id],
                days_per_quarter=quarters.get(actor_id),
            )
            for actor_id, load in loads.items()
        ),
        key=lambda a: (-a.days_granted, a.name),
    )


def dashboard(call: Call | None = None) -> Dashboard:
    """The figures of one call, or of every call when ``call`` is None."""
    calls = Call.objects.prefetch_related("priorities")
    calls = list(calls.filter(pk=call.pk) if call is not None else calls)
    applications = Application.objects.exclude(status=ApplicationStatus.DRAFT)
    supports = Support.objects.all()
    if call is not None:
        applications = applications.filter(call=call)
        supports = supports.filter(application__call=call)
    board = Dashboard(call=call)
    _budget(board, calls, applications)
    board.applications_by_status = _counts(
        applications.values_list("status").annotate(n=Count("pk")).order_by("status"),
        dict(ApplicationStatus.choices),
    )
    per_status = dict(supports.values_list("status").annotate(n=Count("pk")).order_by())
    board.supports_by_status = [
        Count_(str(label), per_status.get(value, 0)) for value, label in SupportStatus.choices
    ]
    per_department = list(
        supports.values_list("application__organisation__commune__department__code")
        .annotate(n=Count("pk"))
        .order_by("application__organisation__commune__department__code")
    )
    board.supports_by_department = _counts(
        per_department,
        {
            code: f"{code} — {name}"
            for code, name in Department.objects.filter(
                code__in=[code for code, _n in per_department if code]
            ).values_list("code", "name")
        },
    )
    board.supports_by_sector = _counts(
        supports.values_list("application__organisation__sector")
        .annotate(n=Count("pk"))
        .order_by("application__organisation__sector"),
        dict(Sector.choices),
    )
    board.supports_by_priority = _by_priority(calls, supports)
    _delays(board, applications, supports)
    board.progress = progress_by_axis(supports)
    board.actors = _actors(supports)
    return board


def calls_for_filter():
    return Call.objects.exclude(status="brouillon").order_by("-opens_on", "title")
