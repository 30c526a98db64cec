"""Following a support: the association's page (sessions to confirm or contest, days used,
satisfaction), the actor's « Mes accompagnements » list and its support page (plan, contact,
sessions, logging a session, closing with a report)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from ressourcerie.core.navigation import crumbs
from ressourcerie.diagnostic import selectors as diagnostic_selectors

from .. import permissions, text
from ..errors import FundError
from ..forms.support import CheckForm, ReportForm, SatisfactionForm, SessionForm
from ..models import CheckStatus, SessionLog, SupportStatus
from ..selectors import support as selectors
from ..selectors import support_cohorts as cohort_selectors
from ..services import support as services
from ..services import support_sessions
from .common import PART


def _support_or_404(reference):
    support = selectors.support_by_reference(reference)
    if support is None:
        raise Http404
    return support


def _form_error(form, error):
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _cohort_events(support) -> list:
    """The support's cohort's collective sessions to come (none for an individual one)."""
    return cohort_selectors.upcoming_events(support.cohort) if support.cohort_id else []


def _days(support):
    used = selectors.days_used(support)
    return {
        "granted": text.days(used.granted),
        "consumed": text.days(used.consumed),
        "left": text.days(used.left),
        "percent": used.percent,
    }


@never_cache
@login_required
def support_association(request, reference):
    """The association's page of its support (its members; the team too)."""
    support = _support_or_404(reference)
    if not (
        permissions.is_support_association(request.user, support)
        or permissions.can_manage_fund(request.user)
    ):
        raise Http404
    check_form = CheckForm()
    satisfaction_form = SatisfactionForm(
        initial={"score": support.satisfaction, "comment": support.satisfaction_comment}
    )
    checked_pk = None
    status = 200
    if request.method == "POST":
        try:
            if "session" in request.POST:
                wanted = request.POST.get("session", "")
                session = (
                    SessionLog.objects.filter(pk=int(wanted)).first()
                    if wanted.isdigit() and len(wanted) < 12
                    else None
                )
                if session is None:
                    raise Http404
                checked_pk = session.pk
                check_form = CheckForm(request.POST, prefix=f"s{session.pk}")
                if check_form.is_valid():
                    support_sessions.check_session(
                        session=session,
                        support=support,
                        confirmed=check_form.cleaned_data["decision"] == "confirmer",
                        comment=check_form.cleaned_data["comment"],
                        actor=request.user,
                    )
                    messages.success(request, _("Merci : votre réponse sur la séance est notée."))
                    return redirect("fund:support_association", reference=reference)
            else:
                satisfaction_form = SatisfactionForm(request.POST)
                if satisfaction_form.is_valid():
                    services.give_satisfaction(
                        support=support,
                        score=satisfaction_form.cleaned_data["score"],
                        comment=satisfaction_form.cleaned_data["comment"],
                        actor=request.user,
                    )
                    messages.success(request, _("Merci pour votre avis."))
                    return redirect("fund:support_association", reference=reference)
        except FundError as error:
            _form_error(check_form if checked_pk else satisfaction_form, error)
        status = 400
    sessions = selectors.sessions_of(support)
    to_check = [
        (s, check_form if s.pk == checked_pk else CheckForm(prefix=f"s{s.pk}"))
        for s in sessions
        if s.check is not None and s.check.status == CheckStatus.PENDING
    ]
    return render(
        request,
        "fund/support/association.html",
        {
            "support": support,
            "application": support.application,
            "actions": selectors.actions_of(support),
            "sessions": sessions,
            "to_check": to_check,
            "days": _days(support),
            "satisfaction_form": satisfaction_form,
            "may_check": permissions.is_support_association(request.user, support),
            "cohort_events": _cohort_events(support),
            "is_done": support.status == SupportStatus.DONE,
            "crumbs": crumbs(
                PART,
                "fund:call_list",
                (_("Mes dossiers"), reverse("fund:my_applications")),
                (_("Accompagnement"), None),
            ),
        },
        status=status,
    )


@never_cache
@login_required
def actor_supports(request):
    """« Mes accompagnements »: the supports of the person's associations, the supports
    assigned to the person's structures (a cohort's members under their cohort, whose page
    logs the group's sessions), and the offers waiting for their answer."""
    supports, cohorts = [], {}
    for support in selectors.supports_of_actor_user(request.user):
        if support.cohort_id:
            cohorts.setdefault(support.cohort_id, (support.cohort, []))[1].append(support)
        else:
            supports.append(support)
    return render(
        request,
        "fund/support/actor_list.html",
        {
            "supports": supports,
            "cohorts": list(cohorts.values()),
            "own": list(selectors.supports_of_association_user(request.user)),
            "offers": list(selectors.open_offers_of_user(request.user)),
            "crumbs": crumbs(PART, "fund:call_list", (_("Mes accompagnements"), None)),
        },
    )


@never_cache
@login_required
def support_actor(request, reference):
    """The assigned actor's page: the plan, the association's contact, the sessions, a
    session to log, the closing report."""
    support = _support_or_404(reference)
    if not permissions.is_assigned_actor(request.user, support):
        raise Http404
    actions = selectors.actions_of(support)
    session_form = SessionForm(actions=actions, initial={"unit": "heures"})
    report_form = ReportForm(initial={"report": support.report})
    status = 200
    if request.method == "POST":
        try:
            if "close" in request.POST:
                report_form = ReportForm(request.POST)
                if report_form.is_valid():
                    services.close_support(
                        support=support,
                        report=report_form.cleaned_data["report"],
                        actor=request.user,
                    )
                    messages.success(
                        request, _("L'accompagnement est terminé : merci pour le bilan.")
                    )
                    return redirect("fund:support_actor", reference=reference)
            else:
                session_form = SessionForm(request.POST, actions=actions)
                if session_form.is_valid():
                    support_sessions.log_session(
                        support=support,
                        actor=request.user,
                        **session_form.session_kwargs(),
                    )
                    messages.success(
                        request, _("La séance est enregistrée ; l'association la confirmera.")
                    )
                    return redirect("fund:support_actor", reference=reference)
        except FundError as error:
            _form_error(report_form if "close" in request.POST else session_form, error)
        status = 400
    application = support.application
    return render(
        request,
        "fund/support/actor.html",
        {
            "support": support,
            "application": application,
            "organisation": application.organisation,
            "applicant": application.created_by,
            "actions": actions,
            "plan": diagnostic_selectors.association_plan(application.organisation),
            "sessions": selectors.sessions_of(support),
            "days": _days(support),
            "session_form": session_form,
            "report_form": report_form,
            "may_log": support.status in (SupportStatus.ASSIGNED, SupportStatus.RUNNING)
            and support.cohort_id is None,
            "may_close": support.status == SupportStatus.RUNNING and support.cohort_id is None,
            "cohort_events": _cohort_events(support),
            "may_schedule": support.cohort_id is not None
            and support.cohort.status in cohort_selectors.SCHEDULABLE_STATUSES
            and permissions.is_cohort_actor(request.user, support.cohort),
            "crumbs": crumbs(
                PART,
                "fund:call_list",
                (_("Mes accompagnements"), reverse("fund:actor_supports")),
                (application.organisation.name, None),
            ),
        },
        status=status,
    )
