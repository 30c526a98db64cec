"""The team's side of the supports: the list, one support's page (history, candidates and
offers, assigning by hand, cancelling, the grant, dropping) and the approved providers."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from ressourcerie.core.models import Organisation
from ressourcerie.core.navigation import crumbs
from ressourcerie.core.permissions import team_required

from .. import text
from ..errors import FundError
from ..forms.support import AssignForm, GrantForm, ProposeForm, ProviderForm, ReasonForm
from ..models import Offer, OfferStatus, SupportStatus
from ..selectors import support as selectors
from ..selectors import support_matching
from ..services import support as services
from ..services import support_offers
from .common import PART

PER_PAGE = 50


def _crumbs(*items):
    return crumbs(
        PART, "fund:call_list", (_("Accompagnements"), reverse("fund:staff_supports")), *items
    )


@never_cache
@team_required
def staff_supports(request):
    status = request.GET.get("etat", "")
    if status not in SupportStatus.values:
        status = ""
    page = Paginator(selectors.staff_supports(status=status), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "fund/support/staff_list.html",
        {
            "page": page,
            "status": status,
            "statuses": SupportStatus.choices,
            "crumbs": crumbs(PART, "fund:call_list", (_("Accompagnements"), None)),
        },
    )


def _error(form, error):
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _organisations(pks):
    ids = [int(pk) for pk in pks if str(pk).isdigit() and len(str(pk)) < 12]
    return list(Organisation.objects.filter(pk__in=ids))


@never_cache
@team_required
def staff_support(request, reference):
    support = selectors.support_by_reference(reference)
    if support is None:
        raise Http404
    candidates = [c for c in support_matching.candidates(support) if not c.already_asked]
    forms = {
        "propose": ProposeForm(candidates=candidates),
        "assign": AssignForm(),
        "cancel": ReasonForm(prefix="cancel"),
        "grant": GrantForm(initial={"days": text.days(support.days_granted)}),
        "drop": ReasonForm(prefix="drop"),
    }
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            done = _act(request, support, action, forms, candidates)
            if done:
                messages.success(request, done)
                return redirect("fund:staff_support", reference=reference)
        except FundError as error:
            if action in forms:
                _error(forms[action], error)
            else:
                messages.error(request, error.message)
        status = 400
    return render(
        request,
        "fund/support/staff_support.html",
        {
            "support": support,
            "application": support.application,
            "actions": selectors.actions_of(support),
            "candidates": candidates,
            "offers": list(selectors.offers_of(support=support)),
            "sessions": selectors.sessions_of(support),
            "history": list(selectors.history_of(support)),
            "grant_changes": list(selectors.grant_changes_of(support)),
            "days": selectors.days_used(support),
            "forms": forms,
            "may_offer": support.status in (SupportStatus.TO_ASSIGN, SupportStatus.OFFERED)
            and support.cohort_id is None,
            "may_cancel": support.status in (SupportStatus.ASSIGNED, SupportStatus.RUNNING)
            and support.cohort_id is None,
            "may_change": support.status not in (SupportStatus.DONE, SupportStatus.DROPPED),
            "crumbs": _crumbs((support.application.reference, None)),
        },
        status=status,
    )


def _act(request, support, action, forms, candidates) -> str:
    """One team action from the support's page; the success message, or "" when the form
    is not valid."""
    user = request.user
    if action == "propose":
        form = forms["propose"] = ProposeForm(request.POST, candidates=candidates)
        if not form.is_valid():
            return ""
        offers = support_offers.propose(
            support=support,
            organisations=_organisations(form.cleaned_data["organisations"]),
            actor=user,
        )
        return _("%(count)s proposition(s) envoyée(s).") % {"count": len(offers)}
    if action == "revoke":
        wanted = request.POST.get("offer", "")
        offer = (
            Offer.objects.filter(pk=int(wanted), support=support, status=OfferStatus.SENT).first()
            if wanted.isdigit() and len(wanted) < 12
            else None
        )
        if offer is None:
            raise FundError(_("Cette proposition n'attend plus de réponse."))
        support_offers.revoke(offer=offer, actor=user)
        return _("La proposition est retirée.")
    if action == "assign":
        form = forms["assign"] = AssignForm(request.POST)
        if not form.is_valid():
            return ""
        support_offers.assign_by_hand(
            support=support,
            organisation=form.cleaned_data["organisation"],
            actor=user,
            reason=form.cleaned_data["reason"],
        )
        return _("L'accompagnement est attribué.")
    if action == "cancel":
        form = forms["cancel"] = ReasonForm(request.POST, prefix="cancel")
        if not form.is_valid():
            return ""
        offers = support_offers.cancel_assignment(
            support=support, actor=user, reason=form.cleaned_data["reason"]
        )
        return _("L'attribution est annulée ; %(count)s nouvelle(s) proposition(s) envoyée(s).") % {
            "count": len(offers)
        }
    if action == "grant":
        form = forms["grant"] = GrantForm(request.POST)
        if not form.is_valid():
            return ""
        services.change_grant(
            support=support,
            days=form.cleaned_data["days"],
            reason=form.cleaned_data["reason"],
            actor=user,
        )
        return _("Les jours accordés sont changés.")
    if action == "drop":
        form = forms["drop"] = ReasonForm(request.POST, prefix="drop")
        if not form.is_valid():
            return ""
        support_offers.drop_support(support=support, actor=user, reason=form.cleaned_data["reason"])
        return _("L'accompagnement est abandonné.")
    raise FundError(_("Action inconnue."))


@never_cache
@team_required
def staff_providers(request):
    providers = list(selectors.providers())
    for provider in providers:
        provider.days_left = text.days(selectors.days_left_this_quarter(provider))
    return render(
        request,
        "fund/support/providers.html",
        {
            "providers": providers,
            "crumbs": _crumbs((_("Prestataires agréés"), None)),
        },
    )


@never_cache
@team_required
def staff_provider_edit(request, pk=None):
    provider = selectors.provider_by_pk(pk) if pk is not None else None
    if pk is not None and provider is None:
        raise Http404
    form = ProviderForm(request.POST or None, instance=provider)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            saved = form.save(commit=False)
            if saved.approved_by_id is None:
                saved.approved_by = request.user
            saved.save()
            messages.success(request, _("La liste des prestataires agréés est à jour."))
            return redirect("fund:staff_providers")
        status = 400
    return render(
        request,
        "fund/support/provider_form.html",
        {
            "form": form,
            "provider": provider,
            "crumbs": _crumbs(
                (_("Prestataires agréés"), reverse("fund:staff_providers")),
                (_("Modifier") if provider else _("Ajouter"), None),
            ),
        },
        status=status,
    )
