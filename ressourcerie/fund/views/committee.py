"""The committee of a call (ranking, budget consumed live, one decision at a time), the
decision letter, and the team's exports of dossiers with their scores."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from ressourcerie.core.navigation import crumbs
from ressourcerie.core.ods import ods_response
from ressourcerie.core.permissions import team_required

from .. import permissions, staff_exports, text
from ..errors import FundError
from ..forms.instruction import Decision, DecisionForm, FilterForm
from ..models.applications import DECIDED_STATUSES
from ..pdf_letter import render_letter
from ..selectors import calls as call_selectors
from ..selectors import committee as committee_selectors
from ..selectors import instruction as selectors
from ..services.applications import transition_application
from .instruction import PART, application_or_404

PER_PAGE = 50


def _decision_form_for(call, rows, reference, data=None):
    """The row (with its whole dossier) and the decision form of one dossier to decide
    (``reference``), bound when posted."""
    row = next((r for r in rows if r.application.reference == reference), None)
    if row is None or not row.to_decide:
        return None, None
    form = DecisionForm(data, initial={"reference": reference})
    return committee_selectors.with_details(call, [row])[0], form


@never_cache
@team_required
def committee(request, slug):
    call = call_selectors.call_by_slug(slug)
    if call is None:
        raise Http404
    rows = committee_selectors.ranking(call)
    status = 200
    chosen, form = None, None
    if request.method == "POST":
        chosen, form = _decision_form_for(
            call, rows, request.POST.get("reference", ""), request.POST
        )
        if form is None:
            messages.error(request, _("Ce dossier n'attend pas de décision du comité."))
            return redirect("fund:committee", slug=call.slug)
        if form.is_valid():
            data = form.cleaned_data
            decision = data["decision"]
            try:
                transition_application(
                    application=chosen.application,
                    to_status=Decision.TO_STATUS[decision],
                    actor=request.user,
                    reason=data["reason"],
                    days_granted=data["days_granted"]
                    if decision in (Decision.ACCEPT, Decision.CONDITIONS)
                    else None,
                    amount_granted=data["amount_granted"]
                    if decision in (Decision.ACCEPT, Decision.CONDITIONS)
                    else None,
                )
                messages.success(
                    request,
                    _(
                        "Décision enregistrée pour le dossier %(reference)s : l'association est prévenue."
                    )
                    % {"reference": chosen.application.reference},
                )
                return redirect("fund:committee", slug=call.slug)
            except FundError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
        status = 400
    elif request.GET.get("dossier"):
        chosen, form = _decision_form_for(call, rows, request.GET["dossier"])
    budget = call_selectors.budget_of(call)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = committee_selectors.with_details(call, list(page.object_list))
    # Each row's « Décider » link: this page's query with the dossier's reference last.
    query = request.GET.copy()
    query.pop("dossier", None)
    decide_query = f"{query.urlencode()}&dossier=" if query else "dossier="
    return render(
        request,
        "fund/instruction/committee.html",
        {
            "call": call,
            "page_obj": page,
            "to_decide": sum(1 for r in rows if r.to_decide),
            "decide_query": decide_query,
            "chosen": chosen,
            "form": form,
            "budget": budget,
            "budget_text": {
                "euros_left": text.euros(budget.euros_left),
                "euros_total": text.euros(budget.euros_total),
                "days_left": text.days(budget.days_left),
                "days_total": text.days(budget.days_total),
            },
            "crumbs": crumbs(
                PART,
                "fund:call_list",
                (call.title, call.get_absolute_url()),
                (_("Comité"), None),
            ),
        },
        status=status,
    )


@never_cache
@login_required
def decision_letter(request, reference):
    application = application_or_404(reference)
    user = request.user
    allowed = permissions.can_manage_fund(user) or permissions.is_applicant(user, application)
    if not allowed or application.status not in DECIDED_STATUSES:
        raise Http404
    response = HttpResponse(render_letter(application), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="decision-{application.reference}.pdf"'
    return response


def _exported(request):
    form = FilterForm(request.GET or None)
    filters = form.filters()
    call = form.chosen_call()
    header, rows = staff_exports.table(selectors.staff_applications(filters), call=call)
    stamp = timezone.localdate().strftime("%Y%m%d")
    name = f"dossiers-{call.slug if call else 'fonds'}-{stamp}"
    return header, rows, name, call


@never_cache
@team_required
def applications_csv(request):
    header, rows, name, _call = _exported(request)
    response = HttpResponse(
        staff_exports.to_csv(header, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


@never_cache
@team_required
def applications_ods(request):
    header, rows, name, call = _exported(request)
    return ods_response(header, rows, sheet=call.title if call else _("Dossiers"), filename=name)
