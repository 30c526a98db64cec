"""The results page and its PDF, and taking the diagnostic again."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ressourcerie.core.navigation import crumbs
from ressourcerie.core.secret_links import secret_link

from .. import engine, selectors, services
from ..models import DiagnosticResponse
from ..pdf import render_report
from ..permissions import can_follow_plan
from .session import current, remember, resume_url

# Height of one axis in the chart (SVG units): a label line above the bar, room for the
# larger labels of narrow screens (main.css makes them 28 units: 12.6 px at 320 px).
ROW_HEIGHT = 60


def results_context(request, response: DiagnosticResponse, token: str, *, trail=None) -> dict:
    """The results page's content; without ``token`` (a past diagnostic opened from "Mes
    diagnostics") the parts that need the session (private link, retake) are left out."""
    structure = selectors.structure(response.questionnaire)
    answers = selectors.answers_of(response)
    scores = engine.compute_scores(structure, answers)
    previous = selectors.previous_completed(response)
    before = selectors.stored_scores(previous) if previous else {}
    comparisons = selectors.comparisons(response)
    rows = [
        {
            "key": a.key,
            "name": a.name,
            "score": a.score,
            "unknown": a.unknown_count,
            "before": before.get(a.key),
            "delta": (a.score - before[a.key])
            if a.score is not None and before.get(a.key) is not None
            else None,
            "bar": a.score or 0,
            "y": index * ROW_HEIGHT,
            "is_priority": a.is_priority,
            "is_strength": a.is_strength,
            "comparisons": [c.averages.get(a.key) for c in comparisons],
        }
        for index, a in enumerate(scores.axes)
    ]
    moved = (
        selectors.done_between(
            response.organisation_id, previous.completed_at, response.completed_at
        )
        if previous is not None
        else []
    )
    return {
        "moved": moved,
        "axis_changes": [row for row in rows if row["delta"]],
        "follows_plan": can_follow_plan(request.user, response.organisation),
        "response": response,
        "structure": structure,
        "scores": scores,
        "rows": rows,
        "chart_height": len(rows) * ROW_HEIGHT + 4,
        "previous": previous,
        "previous_overall": previous.overall_score if previous else None,
        "comparisons": comparisons,
        "plan": selectors.plan_for(response, structure, scores, answers),
        "resume_url": resume_url(request, token),
        "pdf_url": reverse("diagnostic:results_pdf")
        if token
        else reverse("diagnostic:mine_pdf", args=[response.pk]),
        "can_retake": bool(token),
        "is_own": request.user.is_authenticated and response.user_id == request.user.pk,
        "crumbs": trail
        or crumbs(_("Autodiagnostic"), "diagnostic:intro", (_("Vos résultats"), None)),
    }


@secret_link
def results(request):
    response, token = current(request)
    if response is None:
        return redirect("diagnostic:intro")
    if not response.is_completed:
        return redirect("diagnostic:step", response.current_step)
    return render(request, "diagnostic/results.html", results_context(request, response, token))


def pdf_response(request, response: DiagnosticResponse, token: str) -> HttpResponse:
    content = render_report(results_context(request, response, token))
    http = HttpResponse(content, content_type="application/pdf")
    date = timezone.localdate(response.completed_at).isoformat()
    http["Content-Disposition"] = f'attachment; filename="autodiagnostic-{date}.pdf"'
    return http


@secret_link
def results_pdf(request):
    response, token = current(request)
    if response is None or not response.is_completed:
        return redirect("diagnostic:intro")
    return pdf_response(request, response, token)


@secret_link
@require_POST
def retake(request):
    response, _token = current(request)
    questionnaire = selectors.published_questionnaire()
    if response is None or not response.is_completed or questionnaire is None:
        return redirect("diagnostic:intro")
    new, token = services.start_retake(
        previous=response, questionnaire=questionnaire, user=request.user
    )
    remember(request, new, token)
    messages.info(
        request,
        _("Nouveau diagnostic commencé : vos résultats seront comparés à ceux du précédent."),
    )
    return redirect("diagnostic:step", 1)
