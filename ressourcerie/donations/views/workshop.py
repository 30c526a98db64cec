"""The refurbisher's workshop: its service area, offers nearby, its lots and their steps
(accept, collect, erase, recondition or recycle, allocate)."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ressourcerie.core import params
from ressourcerie.core.navigation import crumbs
from ressourcerie.core.refusals import role_refusal
from ressourcerie.core.roles import Role

from .. import permissions, selectors, services
from ..forms import AcceptForm, AllocateForm, ErasureForm, OutcomeForm, ServiceAreaForm
from ..models import LotStatus, Transition
from .common import PART


def _refurbisher_or_refuse(request):
    if not request.user.is_authenticated:
        return None, redirect_to_login(request.get_full_path())
    organisations = permissions.refurbisher_organisations(request.user)
    if not organisations.exists():
        raise role_refusal(Role.REFURBISHER, request.get_full_path())
    return organisations, None


@never_cache
def workshop(request):
    organisations, response = _refurbisher_or_refuse(request)
    if response:
        return response
    # A structure that is not one of the person's, or not an id at all: their first one.
    selected = params.int_param(request.GET, "structure", min_value=1)
    organisation = permissions.workshop_organisation(organisations, selected)
    return _render_workshop(request, organisations, organisation)


def _render_workshop(request, organisations, organisation, *, area_form=None, status=200):
    area = selectors.service_area(organisation)
    if area_form is None:
        area_form = ServiceAreaForm(
            organisations=organisations,
            area=area,
            initial={"structure": organisation.pk, "kind": area.kind, "radius_km": area.radius_km},
        )
    return render(
        request,
        "donations/workshop.html",
        {
            "organisation": organisation,
            "organisations": organisations,
            "area": area,
            "area_form": area_form,
            "offers": selectors.offers_in_area(organisation),
            "stock": selectors.stock(organisation),
            "statuses": [status.label for status in selectors.stock_statuses()],
            "lots": selectors.lots_of(organisation),
            "requests": selectors.open_requests_near(organisation),
            "suggestions": selectors.suggestions(organisation),
            "crumbs": crumbs(PART, "donations:home", (_("Atelier"), None)),
        },
        status=status,
    )


@require_POST
def workshop_area(request):
    """The refurbisher declares its service area (the form sits on the workshop page)."""
    organisations, response = _refurbisher_or_refuse(request)
    if response:
        return response
    form = ServiceAreaForm(request.POST, organisations=organisations)
    if form.is_valid():
        organisation = form.cleaned_data["organisation"]
        try:
            services.set_service_area(
                organisation=organisation,
                actor=request.user,
                kind=form.cleaned_data["kind"],
                radius_km=form.cleaned_data["radius_km"],
            )
        except services.DonationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, selectors.service_area(organisation).description)
            return redirect(reverse("donations:workshop") + f"?structure={organisation.pk}")
    # Shown again as typed, with the messages; the area is unchanged.
    organisation = form.cleaned_data.get("organisation") or organisations.first()
    return _render_workshop(request, organisations, organisation, area_form=form, status=400)


@never_cache
def offer_detail(request, pk):
    offer = selectors.offer_page(pk)
    if offer is None or not permissions.can_see_offer(request.user, offer):
        raise Http404
    # Only the structures whose service area holds the offer may accept it.
    organisations = permissions.accepting_organisations(request.user, offer)
    return render(
        request,
        "donations/offer_detail.html",
        {
            "offer": offer,
            "show_contacts": permissions.can_see_offer_contacts(request.user, offer),
            "accept_form": AcceptForm(organisations=organisations) if organisations else None,
            "acceptable": {
                lot.pk
                for lot in offer.lots.all()
                if LotStatus.ACCEPTED in services.allowed_moves(lot, request.user)
            },
            "crumbs": crumbs(
                PART,
                "donations:home",
                (_("Atelier"), reverse("donations:workshop")),
                (str(offer), None),
            ),
        },
    )


@never_cache
def lot_detail(request, pk):
    lot = selectors.lot_page(pk)
    if lot is None or not permissions.handles_lot(request.user, lot):
        raise Http404
    return _render_lot(request, lot)


def _render_lot(request, lot, *, erasure_form=None, status=200):
    moves = services.allowed_moves(lot, request.user)
    return render(
        request,
        "donations/lot_detail.html",
        {
            "lot": lot,
            "offer": lot.offer,
            "history": selectors.history(Transition.Subject.LOT, lot.pk),
            # One form per move the person may make now; the machine decides which.
            "can": {
                "collect": LotStatus.COLLECTED in moves,
                "erase": LotStatus.ERASED in moves,
                "refurbish": LotStatus.REFURBISHED in moves,
                "recycle": LotStatus.RECYCLED in moves,
                "allocate": LotStatus.ALLOCATED in moves,
            },
            "erasure_form": erasure_form or ErasureForm(),
            "outcome_form": OutcomeForm(initial={"reused": lot.quantity, "recycled": 0}),
            "allocate_form": AllocateForm(),
            "allocations": lot.allocations.select_related("request__organisation"),
            "crumbs": crumbs(
                PART,
                "donations:home",
                (_("Atelier"), reverse("donations:workshop")),
                (str(lot), None),
            ),
        },
        status=status,
    )


@require_POST
def lot_action(request, pk, action):
    lot = selectors.lot_page(pk)
    if lot is None:
        raise Http404
    if action == "accepter":
        if not permissions.can_see_offer(request.user, lot.offer):
            raise Http404
        form = AcceptForm(
            request.POST, organisations=permissions.refurbisher_organisations(request.user)
        )
        target = reverse("donations:offer", args=[lot.offer_id])
        if not form.is_valid():
            messages.error(request, _("Choisissez votre structure."))
            return redirect(target)
        try:
            services.transition_lot(
                lot=lot,
                to_status=LotStatus.ACCEPTED,
                actor=request.user,
                refurbisher=form.cleaned_data["refurbisher"],
            )
        except services.DonationError as exc:
            messages.error(request, exc.message)
            return redirect(target)
        messages.success(request, _("Lot accepté."))
        return redirect("donations:lot", pk=lot.pk)
    if not permissions.handles_lot(request.user, lot):
        raise Http404
    try:
        if action == "collecter":
            services.transition_lot(lot=lot, to_status=LotStatus.COLLECTED, actor=request.user)
        elif action == "effacer":
            services.LOT_MACHINE.check(lot.status, LotStatus.ERASED)  # a stale page: say why
            form = ErasureForm(request.POST)
            if not form.is_valid():
                # Shown again as typed, each message next to its field.
                return _render_lot(request, lot, erasure_form=form, status=400)
            services.transition_lot(
                lot=lot, to_status=LotStatus.ERASED, actor=request.user, **form.cleaned_data
            )
        elif action == "issue":
            form = OutcomeForm(request.POST)
            if not form.is_valid():
                raise services.DonationError(_("Indiquez deux nombres entiers positifs."))
            services.transition_lot(
                lot=lot,
                to_status=LotStatus.REFURBISHED,
                actor=request.user,
                reused=form.cleaned_data["reused"],
                recycled=form.cleaned_data["recycled"],
            )
        elif action == "recycler":
            services.transition_lot(lot=lot, to_status=LotStatus.RECYCLED, actor=request.user)
        elif action == "attribuer":
            form = AllocateForm(request.POST)
            if not form.is_valid():
                raise services.DonationError(_("Indiquez la demande et une quantité."))
            request_obj = selectors.request_page(form.cleaned_data["request_id"])
            if request_obj is None:
                raise services.DonationError(_("Cette demande n'existe pas."))
            services.allocate(
                lot=lot,
                request_obj=request_obj,
                quantity=form.cleaned_data["quantity"],
                actor=request.user,
            )
        else:
            raise Http404
    except services.DonationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("C'est enregistré."))
    return redirect("donations:lot", pk=lot.pk)
