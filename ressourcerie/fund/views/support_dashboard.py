"""The team's dashboard of the fund, per call or overall, with its CSV and ODS exports and a
server-drawn SVG chart of the progress per axis (the table beside it says the same)."""

from django.http import HttpResponse
from django.shortcuts import render
from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from ressourcerie.core import ods
from ressourcerie.core.navigation import crumbs
from ressourcerie.core.permissions import team_required

from .. import staff_exports, text
from ..forms.support_team import DashboardFilterForm
from ..selectors import support_dashboard as selectors
from ..selectors.support_impact import min_count
from .common import PART

# The chart: one group of two bars (before, after) per axis, in SVG units.
CHART_ROW = 64
CHART_WIDTH = 500


def _board(request):
    form = DashboardFilterForm(request.GET or None)
    call = form.call()
    return form, call, selectors.dashboard(call)


def _chart_rows(board):
    rows = []
    for index, figure in enumerate(f for f in board.progress if f.shown):
        rows.append(
            {
                "figure": figure,
                "y": index * CHART_ROW,
                "before_width": round(figure.before * CHART_WIDTH / 100),
                "after_width": round(figure.after * CHART_WIDTH / 100),
            }
        )
    return rows


def _actor_rows(actors) -> list[dict]:
    """The actors' load as display strings; a few hundred rows share a handful of values, so
    each value is formatted once (``floatformat`` is the costly part of the page)."""
    formatted: dict[tuple, str] = {}

    def number(value, digits):
        if value is None:
            return ""
        key = (value, digits)
        if key not in formatted:
            formatted[key] = str(floatformat(value, digits))
        return formatted[key]

    return [
        {
            "name": actor.name,
            "supports": actor.supports,
            "cohorts": actor.cohorts,
            "granted": number(actor.days_granted, "-1"),
            "consumed": number(actor.days_consumed, "-2"),
            "quarter": number(actor.days_per_quarter, "-1"),
        }
        for actor in actors
    ]


@never_cache
@team_required
def dashboard(request):
    form, call, board = _board(request)
    chart = _chart_rows(board)
    return render(
        request,
        "fund/support_team/dashboard.html",
        {
            "form": form,
            "call": call,
            "board": board,
            "chart": chart,
            "actors": _actor_rows(board.actors),
            "chart_height": len(chart) * CHART_ROW + 4,
            "min_count": min_count(),
            "export_query": request.GET.urlencode(),
            "money": {
                "euros_total": text.euros(board.euros_total),
                "euros_committed": text.euros(board.euros_committed),
                "euros_consumed": text.euros(board.euros_consumed),
                "days_total": text.days(board.days_total),
                "days_committed": text.days(board.days_committed),
                "days_consumed": text.days(board.days_consumed),
            },
            "collective_calls": [
                c
                for c in selectors.calls_for_filter()
                if c.collective_support and (call is None or c.pk == call.pk)
            ],
            "crumbs": crumbs(PART, "fund:call_list", (_("Tableau de bord"), None)),
        },
    )


def table(board) -> tuple[list[str], list[list]]:
    """The dashboard as rows (section, label, value, count behind it), for the exports."""
    header = [_("rubrique"), _("libellé"), _("valeur"), _("nombre")]
    rows = [
        [_("budget"), _("euros prévus"), board.euros_total, ""],
        [_("budget"), _("euros engagés"), board.euros_committed, ""],
        [_("budget"), _("valeur des jours consommés (€)"), board.euros_consumed, ""],
        [_("budget"), _("jours prévus"), text.days(board.days_total), ""],
        [_("budget"), _("jours engagés"), text.days(board.days_committed), ""],
        [_("budget"), _("jours consommés"), text.days(board.days_consumed), ""],
    ]
    for section, counts in (
        (_("dossiers par état"), board.applications_by_status),
        (_("accompagnements par état"), board.supports_by_status),
        (_("accompagnements par département"), board.supports_by_department),
        (_("accompagnements par secteur"), board.supports_by_sector),
        (_("accompagnements par orientation prioritaire"), board.supports_by_priority),
    ):
        rows += [[section, c.label, c.count, c.count] for c in counts]
    rows.append(
        [
            _("délais"),
            _("jours jusqu'à la décision"),
            board.days_to_decision or "",
            board.decisions_counted,
        ]
    )
    rows.append(
        [
            _("délais"),
            _("jours jusqu'à la première séance"),
            board.days_to_first_session or "",
            board.first_sessions_counted,
        ]
    )
    for figure in board.progress:
        rows.append(
            [
                _("progrès par axe"),
                figure.name,
                f"{figure.before} → {figure.after}"
                if figure.shown
                else _("masqué (moins de %(n)s)") % {"n": min_count()},
                figure.count if figure.shown else "",
            ]
        )
    for actor in board.actors:
        rows.append(
            [
                _("charge des acteurs"),
                actor.name,
                _("%(consumed)s j consommés sur %(granted)s accordés")
                % {
                    "consumed": text.days(actor.days_consumed),
                    "granted": text.days(actor.days_granted),
                },
                actor.supports,
            ]
        )
    return header, rows


def _export_name(call) -> str:
    stamp = timezone.localdate().strftime("%Y%m%d")
    return f"tableau-de-bord-{call.slug if call else 'fonds'}-{stamp}"


@never_cache
@team_required
def dashboard_csv(request):
    _form, call, board = _board(request)
    header, rows = table(board)
    response = HttpResponse(
        staff_exports.to_csv(header, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{_export_name(call)}.csv"'
    return response


@never_cache
@team_required
def dashboard_ods(request):
    _form, call, board = _board(request)
    header, rows = table(board)
    return ods.ods_response(header, rows, sheet=_("Tableau de bord"), filename=_export_name(call))
