"""A cohort's collective sessions: the assigned actor's people (or the team) plan one — an
agenda event reserved to the cohort's member associations — and see those to come."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from ressourcerie.core.navigation import crumbs

from .. import permissions
from ..errors import FundError
from ..forms.support import CohortEventForm
from ..selectors import support_cohorts as selectors
from ..services import support_cohorts as services
from .common import PART


def _crumbs(cohort, user):
    if permissions.can_manage_fund(user):
        parent = (
            cohort.name,
            reverse("fund:cohort_detail", args=[cohort.call.slug, cohort.pk]),
        )
    else:
        parent = (_("Mes accompagnements"), reverse("fund:actor_supports"))
    return crumbs(PART, "fund:call_list", parent, (_("Séances collectives"), None))


@never_cache
@login_required
def cohort_schedule(request, pk):
    """The cohort's sessions to come, and the form to plan one (no JavaScript)."""
    cohort = selectors.cohort_of_pk(pk)
    if cohort is None or not services.may_schedule(cohort, request.user):
        raise Http404
    may_schedule = cohort.status in selectors.SCHEDULABLE_STATUSES
    form = CohortEventForm(
        initial={"title": _("Accompagnement collectif — %(name)s") % {"name": cohort.name}}
    )
    status = 200
    if request.method == "POST":
        form = CohortEventForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.schedule_cohort_session(
                    cohort=cohort,
                    title=data["title"],
                    day=data["day"],
                    start=data["start"],
                    end=data["end"],
                    attendance_mode=data["attendance_mode"],
                    address=data["address"],
                    commune=data["commune"],
                    online_url=data["online_url"],
                    actor=request.user,
                )
                messages.success(
                    request,
                    _(
                        "La séance est programmée : les membres des associations du groupe "
                        "peuvent s'y inscrire depuis l'agenda."
                    ),
                )
                return redirect("fund:cohort_schedule", pk=cohort.pk)
            except FundError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
        status = 400
    return render(
        request,
        "fund/support/cohort_schedule.html",
        {
            "cohort": cohort,
            "members": list(selectors.members_of(cohort)),
            "events": selectors.upcoming_events(cohort),
            "form": form,
            "may_schedule": may_schedule,
            "crumbs": _crumbs(cohort, request.user),
        },
        status=status,
    )
