"""A cohort's follow-up by its assigned actor's people: the member associations and their
days, the sessions planned in the agenda and those delivered (with each association's
word and attendance), logging a session — pre-filled from a planned agenda session and
the attendance marked there —, and closing the cohort with a report."""

from datetime import timedelta
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from ressourcerie.core.navigation import crumbs

from .. import permissions, text
from ..errors import FundError
from ..forms.support import CohortSessionForm, ReportForm
from ..models import CohortStatus, DurationUnit
from ..selectors import support as selectors
from ..selectors import support_cohorts as cohort_selectors
from ..services import support_cohorts as cohort_services
from ..services import support_sessions
from .common import PART

PRESENT = "present"
LOGGABLE = (CohortStatus.ASSIGNED, CohortStatus.RUNNING)


def _initial(cohort, members, event) -> dict:
    """The form's defaults: every member present, or — for a planned agenda session — its
    date, its length in hours and the associations the agenda marked present."""
    initial = {
        "unit": DurationUnit.HOURS,
        "action_keys": list(cohort.action_keys),
        "present": [str(m.pk) for m in members],
    }
    if event is None:
        return initial
    hours = Decimal((event.ends_at - event.starts_at) / timedelta(hours=1)).quantize(Decimal("0.1"))
    initial.update(
        held_on=timezone.localtime(event.starts_at).date(),
        duration=text.days(hours),
        event=event.pk,
    )
    if event.attendance:
        initial["present"] = [
            str(m.pk)
            for m in members
            if event.attendance.get(m.application.organisation_id) == PRESENT
        ]
    return initial


def _chosen(planned, wanted):
    """The planned session to log (``…/enregistrer/<event id>/``): the cohort's, started,
    not logged yet."""
    now = timezone.now()
    return next(
        (e for e in planned if e.pk == wanted and e.logged is None and e.starts_at <= now),
        None,
    )


def _member_row(support) -> dict:
    used = selectors.days_used(support)
    return {
        "name": support.application.organisation.name,
        "commune": support.application.organisation.commune,
        "consumed": text.days(used.consumed),
        "granted": text.days(used.granted),
    }


@never_cache
@login_required
def cohort_actor(request, pk, event=None):
    """The assigned actor's page of a cohort (its people only; the team has its own);
    ``event``: a planned agenda session to log, pre-filled from the agenda."""
    cohort = cohort_selectors.cohort_of_pk(pk)
    if cohort is None or not permissions.is_cohort_actor(request.user, cohort):
        raise Http404
    members = list(cohort_selectors.members_of(cohort))
    actions = selectors.cohort_actions(cohort)
    planned = selectors.planned_sessions(cohort)
    wanted, event = event, _chosen(planned, event)
    if wanted is not None and event is None:
        raise Http404
    form = CohortSessionForm(
        actions=actions, members=members, initial=_initial(cohort, members, event)
    )
    report_form = ReportForm()
    status = 200
    if request.method == "POST":
        closing = "close" in request.POST
        try:
            if closing:
                report_form = ReportForm(request.POST)
                if report_form.is_valid():
                    cohort_services.close_cohort(
                        cohort=cohort,
                        report=report_form.cleaned_data["report"],
                        actor=request.user,
                    )
                    messages.success(request, _("Le groupe est terminé : merci pour le bilan."))
                    return redirect("fund:cohort_actor", pk=cohort.pk)
            else:
                form = CohortSessionForm(request.POST, actions=actions, members=members)
                if form.is_valid():
                    support_sessions.log_session(
                        cohort=cohort,
                        actor=request.user,
                        **form.session_kwargs(),
                    )
                    messages.success(
                        request,
                        _("La séance est enregistrée ; chaque association la confirmera."),
                    )
                    return redirect("fund:cohort_actor", pk=cohort.pk)
        except FundError as error:
            target = report_form if closing else form
            target.add_error(error.field if error.field in target.fields else None, error.message)
        status = 400
    return render(
        request,
        "fund/support/cohort_actor.html",
        {
            "cohort": cohort,
            "members": [_member_row(m) for m in members],
            "sessions": selectors.cohort_sessions(cohort),
            "planned": planned,
            "now": timezone.now(),
            "form": form,
            "report_form": report_form,
            "event": event,
            "may_log": cohort.status in LOGGABLE,
            "may_close": cohort.status == CohortStatus.RUNNING,
            "is_done": cohort.status == CohortStatus.DONE,
            "may_schedule": cohort.status in cohort_selectors.SCHEDULABLE_STATUSES,
            "crumbs": crumbs(
                PART,
                "fund:call_list",
                (_("Mes accompagnements"), reverse("fund:actor_supports")),
                (cohort.name, None),
            ),
        },
        status=status,
    )
