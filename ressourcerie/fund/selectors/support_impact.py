"""What the supports changed, measured by the second diagnostic (``Support.result``): one
support's before/after per axis, the averages per axis behind the dashboard, and the open
data per call and axis (``/api/v1/fund/impact``). A figure resting on fewer than
``FUND_IMPACT_MIN_COUNT`` supports (5 by default) is never shown nor published."""

from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings

from ..models import Call, Support, SupportStatus


def min_count() -> int:
    return int(getattr(settings, "FUND_IMPACT_MIN_COUNT", 5))


@dataclass
class ResultRow:
    key: str
    name: str
    before: int | None
    after: int | None

    @property
    def delta(self) -> int | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


def support_result_rows(support: Support) -> list[ResultRow]:
    """The before/after per axis of one support (empty until the second diagnostic)."""
    return [
        ResultRow(a["key"], a["name"], a.get("before"), a.get("after"))
        for a in (support.result or {}).get("axes", [])
    ]


def result_context(support: Support) -> dict:
    """What ``fund/support_team/_result.html`` shows."""
    result = support.result or {}
    return {
        "result_rows": support_result_rows(support),
        "result_done": result.get("actions_done", []),
        "result_covered": result.get("actions_covered", []),
        "result_measured": bool(result),
        "lasting_rows": [
            ResultRow(a["key"], a["name"], a.get("before"), a.get("after"))
            for a in (support.lasting_result or {}).get("axes", [])
        ],
    }


@dataclass
class AxisFigure:
    key: str
    name: str
    count: int
    before: float | None  # None when hidden (count under the threshold)
    after: float | None
    shown: bool

    @property
    def progress(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return round(self.after - self.before, 1)


def _measured(queryset):
    return (
        queryset.filter(status=SupportStatus.DONE)
        .exclude(result={})
        .values_list("application__call_id", "result")
    )


def axis_figures(results, threshold: int | None = None) -> list[AxisFigure]:
    """Averages before/after per axis over ``results`` (``Support.result`` dicts), each with
    the count behind it; under the threshold the averages are hidden."""
    threshold = min_count() if threshold is None else threshold
    sums = defaultdict(lambda: [0, 0, 0])  # count, Σ before, Σ after
    names: dict[str, str] = {}
    for result in results:
        for axis in result.get("axes", []):
            if axis.get("before") is None or axis.get("after") is None:
                continue
            total = sums[axis["key"]]
            total[0] += 1
            total[1] += axis["before"]
            total[2] += axis["after"]
            names.setdefault(axis["key"], axis["name"])
    figures = []
    for key, (count, before, after) in sums.items():
        shown = count >= threshold
        figures.append(
            AxisFigure(
                key=key,
                name=names[key],
                count=count,
                before=round(before / count, 1) if shown else None,
                after=round(after / count, 1) if shown else None,
                shown=shown,
            )
        )
    return sorted(figures, key=lambda f: f.name)


def progress_by_axis(supports=None) -> list[AxisFigure]:
    supports = Support.objects.all() if supports is None else supports
    return axis_figures(result for _call, result in _measured(supports))


IMPACT_COLUMNS = [
    "appel",
    "appel_titre",
    "axe",
    "axe_libelle",
    "accompagnements_termines",
    "score_moyen_avant",
    "score_moyen_apres",
]


def impact_records() -> list[dict]:
    """Per call and axis: the completed supports measured again and their average scores
    before and after (0–100). A row under the threshold keeps its call and axis, its
    three figures are suppressed (null)."""
    by_call = defaultdict(list)
    for call_id, result in _measured(Support.objects.all()):
        by_call[call_id].append(result)
    calls = Call.objects.in_bulk(list(by_call))
    records = []
    for call_id in sorted(by_call, key=lambda pk: (calls[pk].opens_on, calls[pk].slug)):
        call = calls[call_id]
        for figure in axis_figures(by_call[call_id]):
            records.append(
                {
                    "appel": call.slug,
                    "appel_titre": call.title,
                    "axe": figure.key,
                    "axe_libelle": figure.name,
                    "accompagnements_termines": figure.count if figure.shown else None,
                    "score_moyen_avant": figure.before,
                    "score_moyen_apres": figure.after,
                }
            )
    return records
