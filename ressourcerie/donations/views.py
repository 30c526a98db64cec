from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_POST

from ressourcerie.core import params, ratelimit
from ressourcerie.core.navigation import crumbs
from ressourcerie.core.permissions import team_required
from ressourcerie.core.secret_links import secret_link

from . import exports, impact, permissions, selectors, services
from .forms import (
    AcceptForm,
    AllocateForm,
    CloseRequestForm,
    DropOffForm,
    ErasureForm,
    LotFormSet,
    OfferForm,
    OutcomeForm,
    RequestForm,
    ServiceAreaForm,
)
from .models import (
    ORGANISATION_DONORS,
    Allocation,
    AreaKind,
    DonorKind,
    Lot,
    LotStatus,
    Offer,
    Request,
    RequestStatus,
    Transition,
)
from .ratelimits import LIMITS

PART = gettext_lazy("Dons d'ordinateurs")  # the root of every breadcrumb trail


def _signed_in_or_login(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return None


def tax_note(kind: str) -> str:
    """Information only: whether a tax receipt for a gift in kind can apply."""
    if kind in (DonorKind.COMPANY, DonorKind.ASSOCIATION):
        return _(
            "Un don en nature à un organisme d'intérêt général peut ouvrir droit à une "
            "réduction d'impôt (article 238 bis du code général des impôts pour les "
            "entreprises). Le reçu fiscal ne peut être délivré que par l'organisme qui reçoit "
            "le don, s'il y est habilité ; renseignez-vous auprès du reconditionneur. "
            "Information seulement, pas un conseil fiscal."
        )
    if kind == DonorKind.LOCAL_AUTHORITY:
        return _(
            "Une collectivité ne bénéficie pas de réduction d'impôt pour un don en nature ; "
            "le don de matériel informatique réformé est encadré par l'article L. 2112-1 du "
            "code général de la propriété des personnes publiques (délibération de cession). "
            "Information seulement."
        )
    return _(
        "Un particulier qui donne du matériel à une association d'intérêt général peut, selon "
        "les cas, recevoir un reçu fiscal de l'organisme bénéficiaire. Information seulement."
    )


# --- public ----------------------------------------------------------------------------------
def home(request):
    return render(
        request,
        "donations/home.html",
        {"figures": selectors.impact_figures(), "crumbs": []},
    )


@never_cache
def offer_new(request):
    form = OfferForm(request.POST or None)
    lots = LotFormSet(request.POST or None, prefix="lots")
    wait = 0
    errors = []
    if request.method == "POST":
        wait = LIMITS.check(client=("offer_ip", request))
        if not wait and form.is_valid() and lots.is_valid():
            # The follow link goes to the typed address: counted for that address too.
            wait = LIMITS.check(address=("offer_email", form.cleaned_data["email"]))
        if wait:
            errors.append(ratelimit.too_many_message(wait))
        elif form.is_valid() and lots.is_valid():
            lot_data = [f.lot_data() for f in lots.forms if f.lot_data()]
            if not lot_data:
                errors.append(_("Indiquez au moins un lot : type d'appareil et quantité."))
            else:
                d = form.cleaned_data
                try:
                    services.create_offer(
                        donor={
                            "kind": d["kind"],
                            "name": d["name"],
                            "siret": d["siret"] if d["kind"] in ORGANISATION_DONORS else "",
                            "email": d["email"],
                            "phone": d["phone"],
                            "commune": d["commune"],
                        },
                        offer={
                            "logistics": d["logistics"],
                            "address": d["address"],
                            "erasure": d["erasure"],
                            "erasure_method": d["erasure_method"],
                            "available_from": d["available_from"],
                            "available_until": d["available_until"],
                            "commune": d["commune"],
                            "notes": d["notes"],
                        },
                        lots=lot_data,
                        user=request.user,
                    )
                except services.DonationError as error:
                    errors.append(error.message)
                else:
                    return redirect(reverse("donations:offer_sent") + f"?type={d['kind']}")
    return render(
        request,
        "donations/offer_form.html",
        {
            "form": form,
            "lots": lots,
            "errors": errors,
            "crumbs": crumbs(PART, "donations:home", (_("Donner"), None)),
        },
        status=429 if wait else 200,
    )


def offer_sent(request):
    kind = request.GET.get("type", "")
    return render(
        request,
        "donations/offer_sent.html",
        {
            "tax_note": tax_note(kind),
            "crumbs": crumbs(PART, "donations:home", (_("Offre envoyée"), None)),
        },
    )


def _offer_or_404(secret):
    if len(secret) > 100:
        raise Http404
    offer = selectors.offer_by_secret(secret)
    if offer is None:
        raise Http404
    return offer


@secret_link
def confirm(request, secret):
    offer = _offer_or_404(secret)
    if request.method == "POST":
        services.confirm_offer(offer=offer)
        messages.success(request, _("Merci : votre offre est confirmée."))
        return redirect("donations:follow", secret=secret)
    return render(
        request,
        "donations/confirm.html",
        {"offer": offer, "crumbs": crumbs(PART, "donations:home", (_("Confirmer l'offre"), None))},
    )


def _journey(offer):
    rows = []
    for lot in offer.lots.all():
        receivers = sorted(
            {a.request.organisation.name for a in lot.allocations.all() if a.request.share_name}
        )
        rows.append({"lot": lot, "steps": selectors.lot_journey(lot), "receivers": receivers})
    return rows


@secret_link
def follow(request, secret):
    offer = _offer_or_404(secret)
    return render(
        request,
        "donations/follow.html",
        {
            "offer": offer,
            "secret": secret,
            "journey": _journey(offer),
            "figures": selectors.impact_for_donor(offer.donor),
            "source": impact.SOURCE_TITLE,
            "crumbs": crumbs(PART, "donations:home", (_("Suivi de mon don"), None)),
        },
    )


@secret_link
def certificate(request, secret):
    offer = _offer_or_404(secret)
    return render(
        request,
        "donations/certificate.html",
        {
            "offer": offer,
            "figures": selectors.impact_for_donor(offer.donor),
            "source": impact.SOURCE_TITLE,
            "note": impact.SOURCE_NOTE,
            "crumbs": crumbs(PART, "donations:home", (_("Attestation d'impact"), None)),
        },
    )


def dropoff(request):
    form = DropOffForm(request.GET or None)
    places, origin, resolution = [], None, None
    searched = False
    if form.is_valid() and form.cleaned_data["q"]:
        searched = True
        places, origin, resolution = selectors.dropoff_points(
            text=form.cleaned_data["q"], equipment=form.cleaned_data["equipment"]
        )
    return render(
        request,
        "donations/dropoff.html",
        {
            "form": form,
            "places": places,
            "origin": origin,
            "searched": searched,
            "unresolved": searched and origin is None,
            "crumbs": crumbs(PART, "donations:home", (_("Où déposer"), None)),
        },
    )


def impact_page(request):
    return render(
        request,
        "donations/impact.html",
        {
            "figures": selectors.impact_figures(),
            "departments": selectors.impact_by_department(),
            "factors": impact.factor_rows(),
            "source": impact.SOURCE_TITLE,
            "source_url": impact.SOURCE_URL,
            "note": impact.SOURCE_NOTE,
            "crumbs": crumbs(PART, "donations:home", (_("Impact"), None)),
        },
    )


@cache_control(public=True, max_age=3600)
def impact_csv(request):
    """Open data (etalab-2.0): impact by department and device type."""
    response = HttpResponse(exports.impact_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="dons-impact.csv"'
    response["Link"] = f'<{exports.LICENCE["path"]}>; rel="license"'
    response["X-Licence"] = exports.LICENCE["name"]
    return response


# --- associations ----------------------------------------------------------------------------
@never_cache
def request_new(request):
    if (response := _signed_in_or_login(request)) is not None:
        return response
    organisations = permissions.requesting_organisations(request.user)
    if not organisations.exists():
        raise PermissionDenied
    form = RequestForm(request.POST or None, organisations=organisations)
    error = ""
    wait = request.method == "POST" and LIMITS.check(
        user=("request_user", request.user), client=("request_ip", request)
    )
    limited = bool(wait)
    if limited:
        # Nothing recorded; the form comes back as typed.
        error = ratelimit.too_many_message(wait)
    elif request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        organisation = data.pop("organisation")
        try:
            services.create_request(organisation=organisation, user=request.user, data=data)
        except services.DonationError as exc:
            error = exc.message
        else:
            messages.success(request, _("Votre demande est déposée ; l'équipe va la valider."))
            return redirect("donations:my_requests")
    return render(
        request,
        "donations/request_form.html",
        {
            "form": form,
            "error": error,
            "crumbs": crumbs(PART, "donations:home", (_("Demander du matériel"), None)),
        },
        status=429 if limited else 200,
    )


@never_cache
def my_requests(request):
    if (response := _signed_in_or_login(request)) is not None:
        return response
    organisations = permissions.requesting_organisations(request.user)
    requests = (
        Request.objects.filter(organisation__in=organisations)
        .select_related("organisation")
        .prefetch_related("allocations__lot")
        .order_by("-created_at")
    )
    return render(
        request,
        "donations/my_requests.html",
        {
            "requests": requests,
            "can_request": organisations.exists(),
            "crumbs": crumbs(PART, "donations:home", (_("Mes demandes"), None)),
        },
    )


@require_POST
def receipt(request, pk):
    if not request.user.is_authenticated:
        raise Http404
    allocation = get_object_or_404(Allocation.objects.select_related("request"), pk=pk)
    if not permissions.is_request_member(request.user, allocation.request):
        raise Http404
    try:
        services.confirm_receipt(allocation=allocation, actor=request.user)
    except services.DonationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Réception confirmée. Merci !"))
    return redirect("donations:my_requests")


# --- refurbishers ----------------------------------------------------------------------------
def _refurbisher_or_refuse(request):
    if not request.user.is_authenticated:
        return None, redirect_to_login(request.get_full_path())
    organisations = permissions.refurbisher_organisations(request.user)
    if not organisations.exists():
        raise PermissionDenied
    return organisations, None


@never_cache
def workshop(request):
    organisations, response = _refurbisher_or_refuse(request)
    if response:
        return response
    # A structure that is not one of the person's, or not an id at all: their first one.
    selected = params.int_param(request.GET, "structure", min_value=1)
    organisation = (selected and organisations.filter(pk=selected).first()) or organisations.first()
    return _render_workshop(request, organisations, organisation)


def _render_workshop(request, organisations, organisation, *, area_form=None, status=200):
    area = selectors.service_area(organisation)
    if area_form is None:
        area_form = ServiceAreaForm(
            organisations=organisations,
            initial={"structure": organisation.pk, "kind": area.kind, "radius_km": area.radius_km},
        )
    if area.departments:
        # Name the departments the second choice means.
        area_form.fields["kind"].choices = [
            (AreaKind.RADIUS, AreaKind.RADIUS.label),
            (
                AreaKind.DEPARTMENTS,
                _("Dans le ou les départements de mon atelier : %(names)s")
                % {"names": ", ".join(label for _pk, label in area.departments)},
            ),
        ]
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
            "statuses": LotStatus.labels,
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
    offer = get_object_or_404(
        Offer.objects.select_related("donor", "commune").prefetch_related("lots"), pk=pk
    )
    if not permissions.can_see_offer(request.user, offer):
        raise Http404
    # Only the structures whose service area holds the offer may accept it.
    serving = permissions.organisations_serving(request.user, offer)
    organisations = permissions.refurbisher_organisations(request.user).filter(
        pk__in=[o.pk for o in serving]
    )
    return render(
        request,
        "donations/offer_detail.html",
        {
            "offer": offer,
            "show_contacts": permissions.can_see_offer_contacts(request.user, offer),
            "accept_form": AcceptForm(organisations=organisations) if serving else None,
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
    lot = get_object_or_404(Lot.objects.select_related("offer__donor", "refurbisher"), pk=pk)
    if not permissions.handles_lot(request.user, lot):
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
    lot = get_object_or_404(Lot.objects.select_related("offer"), pk=pk)
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
            request_obj = Request.objects.filter(pk=form.cleaned_data["request_id"]).first()
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


# --- requests (staff, members, refurbishers) -------------------------------------------------
def _render_request(request, request_obj, *, close_form=None, status=200):
    moves = services.allowed_moves(request_obj, request.user)
    return render(
        request,
        "donations/request_detail.html",
        {
            "req": request_obj,
            "show_contacts": permissions.can_see_request_contacts(request.user, request_obj),
            "can_validate": RequestStatus.VALIDATED in moves,
            "close_form": (close_form or CloseRequestForm())
            if RequestStatus.CLOSED in moves
            else None,
            "history": selectors.history(Transition.Subject.REQUEST, request_obj.pk),
            "crumbs": crumbs(PART, "donations:home", (str(request_obj), None)),
        },
        status=status,
    )


@never_cache
def request_detail(request, pk):
    request_obj = get_object_or_404(Request.objects.select_related("organisation"), pk=pk)
    if not permissions.can_see_request(request.user, request_obj):
        raise Http404
    return _render_request(request, request_obj)


@require_POST
def request_action(request, pk, action):
    request_obj = get_object_or_404(Request.objects.select_related("organisation"), pk=pk)
    if not permissions.can_see_request(request.user, request_obj):
        raise Http404
    target = {"valider": RequestStatus.VALIDATED, "clore": RequestStatus.CLOSED}.get(action)
    if target is None:
        raise Http404
    reason = ""
    if target == RequestStatus.CLOSED:
        if RequestStatus.CLOSED not in services.allowed_moves(request_obj, request.user):
            messages.error(request, _("Vous ne pouvez pas clore cette demande."))
            return redirect("donations:request", pk=pk)
        form = CloseRequestForm(request.POST)
        if not form.is_valid():
            # Shown again with what was typed and the message next to the field.
            return _render_request(request, request_obj, close_form=form, status=400)
        reason = form.cleaned_data["reason"]
    try:
        services.transition_request(
            request_obj=request_obj, to_status=target, actor=request.user, reason=reason
        )
    except services.DonationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("La demande est close.")
            if target == RequestStatus.CLOSED
            else _("C'est enregistré."),
        )
    return redirect("donations:request", pk=pk)


@never_cache
@team_required
def staff_home(request):
    return render(
        request,
        "donations/staff.html",
        {
            "requests": Request.objects.filter(status=RequestStatus.SUBMITTED).select_related(
                "organisation"
            ),
            "open_requests": Request.objects.filter(
                status__in=(RequestStatus.VALIDATED, RequestStatus.PARTIAL)
            )
            .select_related("organisation")
            .order_by("created_at"),
            "crumbs": crumbs(PART, "donations:home", (_("Gestion"), None)),
        },
    )
