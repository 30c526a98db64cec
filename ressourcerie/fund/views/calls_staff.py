"""The team's pages for calls: the list, the form (call, priority orientations, documents,
review grid) and the state moves allowed by the call's machine."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ressourcerie.core.navigation import crumbs
from ressourcerie.core.permissions import team_required

from .. import text
from ..errors import FundError
from ..forms.calls import CallForm, TransitionForm, formsets_for
from ..models import Call, CallStatus
from ..selectors import calls as call_selectors
from ..services import calls as call_services
from .common import PART

# What the button of each move says.
MOVE_LABELS = {
    CallStatus.DRAFT: _("Repasser en brouillon"),
    CallStatus.PUBLISHED: _("Publier (à venir)"),
    CallStatus.OPEN: _("Ouvrir aux dépôts"),
    CallStatus.CLOSED: _("Clore"),
    CallStatus.ARCHIVED: _("Archiver"),
}


def _trail(*items):
    return crumbs(
        PART, "fund:call_list", (_("Gestion des appels"), reverse("fund:staff_calls")), *items
    )


@never_cache
@team_required
def staff_calls(request):
    rows = [(call, call_selectors.budget_of(call)) for call in call_selectors.staff_calls()]
    return render(
        request,
        "fund/calls/staff_list.html",
        {
            "rows": [
                {
                    "call": call,
                    "euros_left": text.euros(budget.euros_left),
                    "days_left": text.days(budget.days_left),
                }
                for call, budget in rows
            ],
            "crumbs": crumbs(PART, "fund:call_list", (_("Gestion des appels"), None)),
        },
    )


def _edit_page(request, call, form, formsets, *, status=200, transition_form=None):
    context = {
        "call": call,
        "form": form,
        "formsets": formsets,
        "crumbs": _trail((call.title if call else _("Nouvel appel"), None)),
        "invalid": status == 400 and transition_form is None,
    }
    if call is not None:
        context.update(
            moves=[
                (move, MOVE_LABELS[move])
                for move in call_services.allowed_moves(call, request.user)
            ],
            history=[
                {
                    "at": t.at,
                    "from": call_services.CALL_MACHINE.label(t.from_status)
                    if t.from_status
                    else "—",
                    "to": call_services.CALL_MACHINE.label(t.to_status),
                    "actor": t.actor,
                    "reason": t.reason,
                }
                for t in call.transitions.select_related("actor").order_by("-at", "-pk")
            ],
            transition_form=transition_form or TransitionForm(),
            budget=call_selectors.budget_of(call),
        )
    return render(request, "fund/calls/staff_form.html", context, status=status)


def _save(request, call):
    form = CallForm(request.POST or None, instance=call)
    formsets = formsets_for(call, request.POST or None)
    if request.method != "POST":
        return _edit_page(request, call, form, formsets)
    # Every form is validated (not only up to the first invalid one): all errors show at once.
    results = [f.is_valid() for f in [form, *formsets.values()]]
    if all(results):
        try:
            saved = call_services.save_call(
                actor=request.user,
                call=call,
                data=form.call_data(),
                department_codes=form.cleaned_data["department_codes"],
                priorities=formsets["priorities"].rows(),
                documents=formsets["documents"].rows(),
                criteria=formsets["criteria"].rows(),
                removed={name: fs.removed_ids() for name, fs in formsets.items()},
            )
        except FundError as error:
            if error.field in form.fields:
                form.add_error(error.field, error.message)
            else:
                form.add_error(None, error.message)
        else:
            messages.success(request, _("L'appel est enregistré."))
            return redirect("fund:staff_call_edit", slug=saved.slug)
    return _edit_page(request, call, form, formsets, status=400)


@never_cache
@team_required
def staff_call_create(request):
    return _save(request, None)


@never_cache
@team_required
def staff_call_edit(request, slug):
    return _save(request, get_object_or_404(Call, slug=slug))


@team_required
@require_POST
def staff_call_transition(request, slug):
    call = get_object_or_404(Call, slug=slug)
    form = TransitionForm(request.POST)
    if form.is_valid():
        try:
            call_services.transition_call(
                call=call,
                to_status=form.cleaned_data["to_status"],
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
        except FundError as error:
            form.add_error(None, error.message)
        else:
            call.refresh_from_db()
            messages.success(
                request,
                _("L'appel est maintenant : %(status)s.") % {"status": call.get_status_display()},
            )
            return redirect("fund:staff_call_edit", slug=call.slug)
    else:
        form.add_error(None, _("Choisissez une des étapes proposées."))
    return _edit_page(
        request,
        call,
        CallForm(instance=call),
        formsets_for(call),
        status=400,
        transition_form=form,
    )
