"""« Mon plan d'action »: the kept plan of the person's associations, marked without JavaScript."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ressourcerie.core.navigation import crumbs

from .. import selectors, services
from ..errors import DiagnosticError
from ..models import PlanStatus

# What the button that moves an action to a status says.
MOVE_LABELS = {
    PlanStatus.DONE: _("C'est fait"),
    PlanStatus.IN_PROGRESS: _("En cours"),
    PlanStatus.NOT_FOR_US: _("Pas pour nous"),
    PlanStatus.TODO: _("Remettre à faire"),
}


@login_required
def my_plan(request):
    plans = selectors.plans_of(request.user)
    for organisation_plan in plans:
        for action in organisation_plan.actions + organisation_plan.earlier:
            action.buttons = [(move, MOVE_LABELS[move]) for move in action.moves]
    return render(
        request,
        "diagnostic/my_plan.html",
        {
            "plans": plans,
            "done": PlanStatus.DONE,
            "crumbs": crumbs(
                _("Autodiagnostic"), "diagnostic:intro", (_("Mon plan d'action"), None)
            ),
        },
    )


@login_required
@require_POST
def mark(request, pk):
    action = selectors.kept_action_for(request.user, pk)
    if action is None:
        raise Http404
    try:
        action = services.mark_plan_action(
            action=action, status=request.POST.get("status", ""), actor=request.user
        )
    except DiagnosticError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("« %(title)s » : %(status)s.")
            % {"title": action.title, "status": action.get_status_display().lower()},
        )
    return redirect(reverse("diagnostic:my_plan") + f"#action-{action.pk}")
