"""What the supports changed, measured by the second diagnostic (``Support.result``): one
support's before/after per axis, the averages per axis behind the dashboard, and the open
data per call and axis (``/api/v1/fund/impact``). A figure resting on fewer than
``FUND_IMPACT_MIN_COUNT`` supports (5 by default) is never shown nor published. The sums
per call and axis are one SQL query (the JSON unnested by the database); the averages and
their rounding stay in Python, so both engines give the same figures to the tenth."""

from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db import connection

from ..models import Application, Call, Support, SupportStatus


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
    return queryset.filter(status=SupportStatus.DONE).exclude(result={})


# Per call and axis of the measured supports' ``result["axes"]``: the axis's name, how many
# have both scores, their sums. Where the engines differ (unnesting a JSON array), one
# statement each; both skip an axis without a before or an after score.
_AXIS_SUMS_SQL = {
    "sqlite": """
        SELECT a.call_id, json_extract(x.value, '$.key'), MAX(json_extract(x.value, '$.name')),
               COUNT(*), SUM(json_extract(x.value, '$.before')),
               SUM(json_extract(x.value, '$.after'))
        FROM {support} s JOIN {application} a ON a.id = s.application_id,
             json_each(s.result, '$.axes') x
        WHERE s.id IN ({ids}) AND json_extract(x.value, '$.key') IS NOT NULL
          AND json_extract(x.value, '$.before') IS NOT NULL
          AND json_extract(x.value, '$.after') IS NOT NULL
        GROUP BY 1, 2""",
    "postgresql": """
        SELECT a.call_id, x->>'key', MAX(x->>'name'), COUNT(*),
               SUM((x->>'before')::float8), SUM((x->>'after')::float8)
        FROM {support} s JOIN {application} a ON a.id = s.application_id
        CROSS JOIN LATERAL jsonb_array_elements(CASE jsonb_typeof(s.result->'axes')
            WHEN 'array' THEN s.result->'axes' ELSE '[]'::jsonb END) x
        WHERE s.id IN ({ids}) AND x->>'key' IS NOT NULL
          AND x->>'before' IS NOT NULL AND x->>'after' IS NOT NULL
        GROUP BY 1, 2""",
}


def _axis_sums(supports) -> list[tuple]:
    """``[(call_id, key, name, count, Σ before, Σ after)]`` over the measured ``supports``:
    one grouped query, no result read row by row."""
    ids, params = _measured(supports).values("pk").query.sql_with_params()
    sql = _AXIS_SUMS_SQL[connection.vendor].format(
        support=Support._meta.db_table, application=Application._meta.db_table, ids=ids
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _figures(sums, threshold: int | None = None) -> list[AxisFigure]:
    """Averages before/after per axis from ``{key: [name, count, Σ before, Σ after]}``,
    each with the count behind it; under the threshold the averages are hidden."""
    threshold = min_count() if threshold is None else threshold
    figures = []
    for key, (name, count, before, after) in sums.items():
        shown = count >= threshold
        figures.append(
            AxisFigure(
                key=key,
                name=name,
                count=count,
                before=round(float(before) / count, 1) if shown else None,
                after=round(float(after) / count, 1) if shown else None,
                shown=shown,
            )
        )
    return sorted(figures, key=lambda f: f.name)


def _add(sums, key, name, count, before, after) -> None:
    total = sums.setdefault(key, [name, 0, 0, 0])
    total[0] = max(total[0], name)
    total[1] += count
    total[2] += before
    total[3] += after


def progress_by_axis(supports=None) -> list[AxisFigure]:
    """The averages per axis over the measured supports of ``supports`` (all by default)."""
    supports = Support.objects.all() if supports is None else supports
    sums = {}
    for _call_id, key, name, count, before, after in _axis_sums(supports):
        _add(sums, key, name, count, before, after)
    return _figures(sums)


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
    by_call = defaultdict(dict)
    for call_id, key, name, count, before, after in _axis_sums(Support.objects.all()):
        _add(by_call[call_id], key, name, count, before, after)
    calls = Call.objects.in_bulk(list(by_call))
    records = []
    for call_id in sorted(by_call, key=lambda pk: (calls[pk].opens_on, calls[pk].slug)):
        call = calls[call_id]
        for figure in _figures(by_call[call_id]):
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
