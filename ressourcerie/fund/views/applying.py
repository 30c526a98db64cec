"""The association's side of a dossier: applying to a call, the draft, depositing, following
it, withdrawing it (family "applying"). Refusals are pages that say why in French and what
to do next, never a bare error."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ressourcerie.core import ratelimit
from ressourcerie.core.models import OrganisationKind
from ressourcerie.core.navigation import crumbs

from .. import eligibility, permissions, ratelimits, text
from ..errors import FundError
from ..forms.applying import ApplicationForm, ChooseOrganisationForm, WithdrawForm
from ..models import Application, ApplicationStatus, CallStatus
from ..models.applications import DECIDED_STATUSES
from ..selectors import applications as selectors
from ..selectors import calls as call_selectors
from ..services import applications as services
from ..services import applying

PART = gettext_lazy("Fonds d'accompagnement")
S = ApplicationStatus

# What happens next, in plain French, for each state of the dossier.
NEXT_STEPS = {
    S.DRAFT: gettext_lazy(
        "Votre dossier est un brouillon : complétez-le puis déposez-le avant la clôture de "
        "l'appel. Personne d'autre que les membres de votre association ne le voit."
    ),
    S.SUBMITTED: gettext_lazy(
        "Votre dossier est déposé. L'équipe du fonds va vérifier qu'il est complet puis "
        "l'instruire ; vous recevrez un courriel à chaque étape."
    ),
    S.TO_CORRECT: gettext_lazy(
        "L'équipe du fonds vous demande de corriger votre dossier (voir le motif ci-dessus). "
        "Modifiez-le puis déposez-le de nouveau."
    ),
    S.IN_REVIEW: gettext_lazy(
        "Votre dossier est en instruction : des relecteurs l'évaluent, puis le comité décide. "
        "Vous serez prévenus par courriel."
    ),
    S.WAITING_LIST: gettext_lazy(
        "Le comité a placé votre dossier en liste d'attente : il pourra être accepté si du "
        "budget se libère. Vous serez prévenus par courriel."
    ),
    S.ACCEPTED: gettext_lazy(
        "Votre dossier est accepté. L'équipe du fonds vous contactera pour organiser "
        "l'accompagnement."
    ),
    S.ACCEPTED_WITH_CONDITIONS: gettext_lazy(
        "Votre dossier est accepté sous conditions (voir ci-dessous). L'équipe du fonds vous "
        "contactera pour organiser l'accompagnement."
    ),
    S.REFUSED: gettext_lazy(
        "Votre dossier n'a pas été retenu (voir le motif ci-dessous). Vous pourrez déposer un "
        "nouveau dossier lors d'un prochain appel."
    ),
    S.WITHOUT_FOLLOW_UP: gettext_lazy(
        "Votre dossier a été classé sans suite (voir le motif ci-dessous)."
    ),
    S.WITHDRAWN: gettext_lazy(
        "Vous avez retiré ce dossier : il ne sera pas examiné. Vous pouvez en déposer un "
        "nouveau tant que l'appel est ouvert."
    ),
}


def _application_or_404(request, reference, *, edit=False) -> Application:
    application = selectors.application_by_reference(reference)
    if application is None:
        raise Http404
    allowed = (
        permissions.is_applicant(request.user, application)
        if edit
        else permissions.can_view_application(request.user, application)
    )
    if not allowed:
        raise Http404
    return application


def _crumbs(*items):
    return crumbs(PART, "fund:call_list", *items)


# --- applying to a call ---------------------------------------------------------------------


@dataclass
class Candidate:
    """One of the user's associations facing the call."""

    organisation: object
    answer: eligibility.Answer
    diagnostic: object
    too_old: bool
    existing: Application | None

    @property
    def ready(self) -> bool:
        return self.answer.eligible and not self.too_old and self.existing is None


def _candidates(call, organisations) -> list[Candidate]:
    existing = {
        a.organisation_id: a
        for a in Application.objects.filter(call=call, organisation__in=organisations).exclude(
            status=S.WITHDRAWN
        )
    }
    result = []
    for organisation in organisations.select_related("commune__department"):
        diagnostic = selectors.latest_diagnostic(organisation)
        result.append(
            Candidate(
                organisation=organisation,
                answer=eligibility.check(call, organisation),
                diagnostic=diagnostic,
                too_old=selectors.is_diagnostic_too_old(diagnostic),
                existing=existing.get(organisation.pk),
            )
        )
    return result


@never_cache
def apply(request, slug):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    call = call_selectors.call_by_slug(slug)
    if call is None or call.status == CallStatus.DRAFT:
        raise Http404
    organisations = permissions.applicant_organisations(request.user).filter(
        kind=OrganisationKind.ASSOCIATION
    )
    candidates = _candidates(call, organisations)
    ready = [c for c in candidates if c.ready]
    form = ChooseOrganisationForm(
        request.POST or None,
        organisations=organisations.filter(pk__in=[c.organisation.pk for c in ready]),
        initial={"organisation": ready[0].organisation.pk} if len(ready) == 1 else None,
    )
    error, status = "", 200
    if request.method == "POST":
        data = request.POST.copy()
        if "organisation" not in data and len(ready) == 1:
            data["organisation"] = str(ready[0].organisation.pk)
            form = ChooseOrganisationForm(data, organisations=form.fields["organisation"].queryset)
        if len(ready) == 0 and len(candidates) == 1:
            # One association, not ready: the service says why, in its own words.
            organisation = candidates[0].organisation
        elif form.is_valid():
            organisation = form.cleaned_data["organisation"]
        else:
            organisation, status = None, 400
            error = (
                form.errors["organisation"][0]
                if ready
                else _("Aucune de vos associations ne peut déposer de dossier pour cet appel.")
            )
        if organisation is not None:
            try:
                application = services.start_application(
                    call=call, organisation=organisation, actor=request.user
                )
            except FundError as refusal:
                error, status = refusal.message, 400
            else:
                messages.success(
                    request,
                    _(
                        "Votre brouillon est créé ; il reprend votre dernier autodiagnostic. "
                        "Complétez-le puis déposez-le."
                    ),
                )
                return redirect("fund:application_edit", reference=application.reference)
    return render(
        request,
        "fund/applying/apply.html",
        {
            "call": call,
            "call_open": call.status == CallStatus.OPEN,
            "candidates": candidates,
            "ready": ready,
            "form": form,
            "error": error,
            "crumbs": _crumbs(
                (call.title, call.get_absolute_url()), (_("Déposer un dossier"), None)
            ),
        },
        status=status,
    )


# --- the dossier ----------------------------------------------------------------------------


def _edit_context(request, application, form, **extra):
    return {
        "application": application,
        "call": application.call,
        "form": form,
        "snapshot": application.diagnostic_snapshot,
        "documents": list(application.documents.select_related("requested")),
        "correction": selectors.correction_request(application),
        "max_days": text.days(application.call.individual_max_days),
        "crumbs": _crumbs(
            (_("Mes dossiers"), reverse("fund:my_applications")),
            (application.reference, application.get_absolute_url()),
            (_("Compléter"), None),
        ),
        **extra,
    }


@never_cache
def application_edit(request, reference):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    application = _application_or_404(request, reference, edit=True)
    if not applying.is_editable(application):
        messages.info(
            request,
            _("Ce dossier est « %(status)s » : il ne se modifie plus.")
            % {"status": application.get_status_display()},
        )
        return redirect(application)
    form = ApplicationForm(request.POST or None, request.FILES or None, application=application)
    if request.method != "POST":
        return render(request, "fund/applying/edit.html", _edit_context(request, application, form))
    if not form.is_valid():
        return render(
            request,
            "fund/applying/edit.html",
            _edit_context(request, application, form),
            status=400,
        )
    if form.uploads() and (wait := ratelimits.check(request, "document")):
        form.add_error(None, ratelimit.too_many_message(wait))
        return render(
            request,
            "fund/applying/edit.html",
            _edit_context(request, application, form),
            status=429,
        )
    try:
        application = applying.save_draft(
            application=application,
            actor=request.user,
            fields=form.service_fields(),
            uploads=form.uploads(),
        )
    except FundError as refusal:
        form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        return render(
            request,
            "fund/applying/edit.html",
            _edit_context(request, application, form),
            status=400,
        )
    if request.POST.get("action") != "deposer":
        messages.success(request, _("Brouillon enregistré."))
        return redirect("fund:application_edit", reference=application.reference)
    missing = services.missing_for_submission(application)
    if not missing:
        try:
            applying.submit_application(application=application, actor=request.user)
        except FundError as refusal:
            missing = [refusal.message]
    if missing:
        # The draft is saved; what blocks the deposit is listed above the form, as typed.
        form = ApplicationForm(application=application)
        return render(
            request,
            "fund/applying/edit.html",
            _edit_context(request, application, form, missing=missing),
            status=400,
        )
    messages.success(
        request,
        _(
            "Votre dossier est déposé. Un accusé de réception avec votre récépissé vient d'être "
            "envoyé aux membres de l'association."
        ),
    )
    return redirect(application)


@never_cache
def application_detail(request, reference):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    application = _application_or_404(request, reference)
    moves = services.allowed_moves(application, request.user)
    is_applicant = permissions.is_applicant(request.user, application)
    return render(
        request,
        "fund/applying/detail.html",
        {
            "application": application,
            "call": application.call,
            "is_applicant": is_applicant,
            "next_step": NEXT_STEPS[application.status],
            "is_draft": application.status == S.DRAFT,
            "history": [
                {"at": t.at, "label": S(t.to_status).label, "reason": t.reason}
                for t in selectors.history_of(application)
            ],
            "snapshot": application.diagnostic_snapshot,
            "actions": selectors.chosen_actions(application),
            "documents": list(application.documents.select_related("requested")),
            "correction": selectors.correction_request(application),
            "decided": application.status in DECIDED_STATUSES,
            "can_edit": is_applicant and applying.is_editable(application),
            "can_withdraw": is_applicant and S.WITHDRAWN in moves,
            "withdraw_form": WithdrawForm(),
            "days_requested": text.days(application.days_requested)
            if application.days_requested
            else "",
            "days_granted": text.days(application.days_granted) if application.days_granted else "",
            "amount_granted": text.euros(application.amount_granted)
            if application.amount_granted
            else "",
            "crumbs": _crumbs(
                (_("Mes dossiers"), reverse("fund:my_applications")), (reference, None)
            ),
        },
    )


@require_POST
def application_transition(request, reference):
    """The association's moves from its dossier page: deposit again, withdraw (confirmed)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    application = _application_or_404(request, reference)
    if not permissions.is_applicant(request.user, application):
        raise Http404
    target = request.POST.get("vers", "")
    try:
        if target == S.WITHDRAWN:
            form = WithdrawForm(request.POST)
            if not form.is_valid():
                messages.error(request, form.errors["confirm"][0])
                return redirect(application)
            services.transition_application(
                application=application, to_status=S.WITHDRAWN, actor=request.user
            )
            messages.success(request, _("Le dossier est retiré."))
        elif target == S.SUBMITTED:
            applying.submit_application(application=application, actor=request.user)
            messages.success(request, _("Votre dossier est déposé."))
        else:
            messages.error(request, _("Choisissez une action proposée sur la page du dossier."))
    except FundError as refusal:
        messages.error(request, refusal.message)
    return redirect(application)


@never_cache
def my_applications(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return render(
        request,
        "fund/applying/mine.html",
        {
            "applications": [
                (a, applying.is_editable(a)) for a in selectors.applications_for_user(request.user)
            ],
            "open_calls": call_selectors.open_calls()[:5],
            "crumbs": _crumbs((_("Mes dossiers"), None)),
        },
    )
