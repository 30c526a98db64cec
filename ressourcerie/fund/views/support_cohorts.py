"""The team's collective support pages: a call's suggested cohorts (confirm one) and its
cohorts; one cohort's page (members and why, add, remove, rename, drop)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from ressourcerie.core.models import Organisation
from ressourcerie.core.navigation import crumbs
from ressourcerie.core.permissions import team_required

from ..errors import FundError
from ..forms.support import AssignForm, ProposeForm, ReasonForm
from ..forms.support_team import AddMemberForm, ConfirmCohortForm, DropForm, RenameForm
from ..models import CohortStatus, Offer, OfferStatus
from ..selectors import calls as call_selectors
from ..selectors import support as support_selectors
from ..selectors import support_cohorts as selectors
from ..selectors import support_matching
from ..services import support_cohorts as services
from ..services import support_offers
from ..services.support_states import COHORT_MACHINE
from .common import PART


def _call_or_404(slug):
    call = call_selectors.call_by_slug(slug)
    if call is None:
        raise Http404
    return call


def _crumbs(call, *items):
    return crumbs(
        PART,
        "fund:call_list",
        (_("Tableau de bord"), reverse("fund:support_dashboard")),
        (call.title, call.get_absolute_url()),
        *items,
    )


@never_cache
@team_required
def cohort_suggestions(request, slug):
    call = _call_or_404(slug)
    status = 200
    error = None
    if request.method == "POST":
        form = ConfirmCohortForm(request.POST)
        if form.is_valid():
            try:
                cohort = services.confirm_suggestion(
                    call=call,
                    key=form.cleaned_data["suggestion"],
                    actor=request.user,
                    name=form.cleaned_data["name"],
                )
                messages.success(
                    request,
                    _("Groupe « %(name)s » confirmé : il reste à l'attribuer à un acteur.")
                    % {"name": cohort.name},
                )
                return redirect("fund:cohort_detail", slug=call.slug, pk=cohort.pk)
            except FundError as refusal:
                error = refusal.message
        else:
            error = _("Choisissez une suggestion de la liste.")
        status = 400
    candidates = list(selectors.collective_candidates(call))
    suggestions = selectors.suggest(call, candidates)
    grouped = {m.support.pk for s in suggestions for m in s.members}
    return render(
        request,
        "fund/support_team/cohorts.html",
        {
            "call": call,
            "suggestions": suggestions,
            "ungrouped": [s for s in candidates if s.pk not in grouped],
            "cohorts": selectors.cohorts_of(call),
            "error": error,
            "crumbs": _crumbs(call, (_("Groupes"), None)),
        },
        status=status,
    )


def _act(request, cohort, action):
    """Run the posted edit; returns the refusal message, or None when done."""
    user = request.user
    try:
        if action == "ajouter":
            form = AddMemberForm(request.POST, choices=_addable_choices(cohort))
            if not form.is_valid():
                return _("Choisissez l'association à ajouter dans la liste.")
            services.add_member(cohort=cohort, support_id=form.cleaned_data["support"], actor=user)
            messages.success(request, _("Association ajoutée au groupe."))
        elif action == "retirer":
            services.remove_member(
                cohort=cohort, support_id=request.POST.get("support"), actor=user
            )
            messages.success(request, _("Association retirée du groupe."))
        elif action == "renommer":
            form = RenameForm(request.POST)
            if not form.is_valid():
                return _("Donnez un nom au groupe.")
            services.rename(cohort=cohort, name=form.cleaned_data["name"], actor=user)
            messages.success(request, _("Groupe renommé."))
        elif action == "abandonner":
            form = DropForm(request.POST)
            if not form.is_valid():
                return _("Écrivez pourquoi le groupe est abandonné.")
            services.drop(cohort=cohort, actor=user, reason=form.cleaned_data["reason"])
            messages.success(request, _("Groupe abandonné."))
        elif action in ("proposer", "attribuer", "annuler", "retirer_offre"):
            message = _assign(request, cohort, action)
            if message is None:
                return _("Vérifiez le formulaire : un choix manque.")
            messages.success(request, message)
        else:
            return _("Cette action n'existe pas.")
    except FundError as refusal:
        return refusal.message
    return None


def _assign(request, cohort, action):
    """Proposing the cohort to actors, assigning it by hand, cancelling the assignment:
    the offers service, as for one support. None when the form is not valid."""
    user = request.user
    if action == "proposer":
        form = ProposeForm(request.POST, candidates=_fresh_candidates(cohort))
        if not form.is_valid():
            return None
        ids = [int(pk) for pk in form.cleaned_data["organisations"]]
        offers = support_offers.propose(
            cohort=cohort, organisations=Organisation.objects.filter(pk__in=ids), actor=user
        )
        return _("%(count)s proposition(s) envoyée(s).") % {"count": len(offers)}
    if action == "attribuer":
        form = AssignForm(request.POST)
        if not form.is_valid():
            return None
        support_offers.assign_by_hand(
            cohort=cohort,
            organisation=form.cleaned_data["organisation"],
            actor=user,
            reason=form.cleaned_data["reason"],
        )
        return _("Le groupe est attribué.")
    if action == "retirer_offre":
        wanted = request.POST.get("offer", "")
        offer = (
            Offer.objects.filter(pk=int(wanted), cohort=cohort, status=OfferStatus.SENT).first()
            if wanted.isdigit() and len(wanted) < 12
            else None
        )
        if offer is None:
            raise FundError(_("Cette proposition n'attend plus de réponse."))
        support_offers.revoke(offer=offer, actor=user)
        return _("La proposition est retirée.")
    form = ReasonForm(request.POST, prefix="cancel")
    if not form.is_valid():
        return None
    offers = support_offers.cancel_assignment(
        cohort=cohort, actor=user, reason=form.cleaned_data["reason"]
    )
    return _("L'attribution est annulée ; %(count)s nouvelle(s) proposition(s) envoyée(s).") % {
        "count": len(offers)
    }


def _fresh_candidates(cohort):
    return [c for c in support_matching.cohort_candidates(cohort) if not c.already_asked]


def _addable_choices(cohort):
    return [
        (s.pk, f"{s.application.organisation.name} ({s.application.reference})")
        for s in selectors.addable_supports(cohort)
    ]


@never_cache
@team_required
def cohort_detail(request, slug, pk):
    call = _call_or_404(slug)
    cohort = selectors.cohort_by_pk(call, pk)
    if cohort is None:
        raise Http404
    status = 200
    error = None
    if request.method == "POST":
        action = request.POST.get("action", "")
        error = _act(request, cohort, action)
        if error is None:
            if action == "abandonner":
                return redirect("fund:cohort_suggestions", slug=call.slug)
            return redirect("fund:cohort_detail", slug=call.slug, pk=cohort.pk)
        status = 400
        cohort.refresh_from_db()
    editable = cohort.status in selectors.EDITABLE_STATUSES
    members = list(selectors.members_of(cohort))
    return render(
        request,
        "fund/support_team/cohort.html",
        {
            "call": call,
            "cohort": cohort,
            "members": members,
            "editable": editable,
            "add_form": AddMemberForm(choices=_addable_choices(cohort)) if editable else None,
            "rename_form": RenameForm(initial={"name": cohort.name}) if editable else None,
            "drop_form": DropForm() if services.may_drop(cohort, request.user) else None,
            "may_offer": cohort.status in (CohortStatus.TO_ASSIGN, CohortStatus.OFFERED),
            "may_cancel": cohort.status in (CohortStatus.ASSIGNED, CohortStatus.RUNNING),
            "propose_form": ProposeForm(candidates=_fresh_candidates(cohort))
            if cohort.status in (CohortStatus.TO_ASSIGN, CohortStatus.OFFERED)
            else None,
            "assign_form": AssignForm(),
            "cancel_form": ReasonForm(prefix="cancel"),
            "offers": list(support_selectors.offers_of(cohort=cohort)),
            "days_consumed": support_selectors.cohort_days_consumed(cohort),
            "history": [
                (record, COHORT_MACHINE.label(record.to_status))
                for record in selectors.history_of(cohort)
            ],
            "sessions": cohort.sessions.all(),
            "cohort_events": selectors.upcoming_events(cohort),
            "may_schedule": cohort.status in selectors.SCHEDULABLE_STATUSES,
            "error": error,
            "crumbs": _crumbs(
                call,
                (_("Groupes"), reverse("fund:cohort_suggestions", args=[call.slug])),
                (cohort.name, None),
            ),
        },
        status=status,
    )
