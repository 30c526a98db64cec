"""The team's pages: dashboard, CSV of aggregates, questionnaire versions."""

import csv

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ressourcerie.core.navigation import crumbs
from ressourcerie.core.permissions import team_required

from .. import selectors, services
from ..errors import DiagnosticError
from ..models import QuestionnaireStatus


@team_required
def dashboard(request):
    axes = selectors.average_by_axis()
    return render(
        request,
        "diagnostic/dashboard.html",
        {
            "total": selectors.completed_responses().count(),
            "in_progress": selectors.in_progress_count(),
            "by_department": selectors.counts_by_department(),
            "by_sector": selectors.counts_by_sector(),
            "axes": axes,
            "priorities": sorted(
                (a for a in axes if a["priorities"]), key=lambda a: -a["priorities"]
            ),
            "plan_actions": selectors.frequent_actions_by_department(),
            "min_group": selectors.MIN_GROUP,
            "crumbs": crumbs(_("Gestion"), "core:staff", (_("Autodiagnostic"), None)),
        },
    )


@team_required
def export_csv(request):
    rows, columns = selectors.aggregate_rows()
    http = HttpResponse(content_type="text/csv; charset=utf-8")
    http["Content-Disposition"] = 'attachment; filename="autodiagnostic-agregats.csv"'
    writer = csv.DictWriter(http, fieldnames=columns)
    writer.writeheader()
    writer.writerows(rows)
    return http


@team_required
def versions(request):
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "duplicate":
            source = selectors.published_questionnaire()
            if source is None:
                messages.error(request, _("Aucune version n'est publiée."))
            else:
                copy = services.duplicate_questionnaire(source=source, actor=request.user)
                messages.success(
                    request,
                    _("Brouillon version %(version)s créé : modifiez-le puis publiez-le.")
                    % {"version": copy.version},
                )
        elif action == "publish":
            questionnaire = selectors.questionnaire_by_pk(request.POST.get("questionnaire"))
            if questionnaire is None:
                messages.error(request, _("Choisissez une version à publier."))
            else:
                try:
                    services.publish_questionnaire(questionnaire=questionnaire, actor=request.user)
                    messages.success(
                        request,
                        _("Version %(version)s publiée.") % {"version": questionnaire.version},
                    )
                except DiagnosticError as error:
                    messages.error(request, error.message)
        return redirect("diagnostic:versions")
    return render(
        request,
        "diagnostic/versions.html",
        {
            "questionnaires": selectors.versions_for(request.user),
            "publish": QuestionnaireStatus.PUBLISHED,
            "has_published": selectors.published_questionnaire() is not None,
            "crumbs": crumbs(
                _("Gestion"),
                "core:staff",
                (_("Autodiagnostic"), reverse("diagnostic:dashboard")),
                (_("Versions du questionnaire"), None),
            ),
        },
    )
