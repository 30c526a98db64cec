"""The donor's public pages: offering, confirming and following a gift, drop-off points,
impact and its open data."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache

from ressourcerie.core import ratelimit
from ressourcerie.core.navigation import crumbs
from ressourcerie.core.secret_links import secret_link

from .. import donor, exports, impact, selectors, services
from ..forms import DropOffForm, LotFormSet, OfferChangeForm, OfferForm
from ..models import LotStatus
from ..ratelimits import LIMITS
from .common import PART


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
    wait, errors = 0, []
    if request.method == "POST":
        wait = LIMITS.check(client=("offer_ip", request))
        valid = not wait and form.is_valid() and lots.is_valid()
        if valid:
            # The follow link goes to the typed address: counted for that address too.
            wait = LIMITS.check(address=("offer_email", form.cleaned_data["email"]))
        if wait:
            errors.append(ratelimit.too_many_message(wait))
        elif valid:
            try:
                services.create_offer(
                    donor=form.donor_data(),
                    offer=form.offer_data(),
                    lots=lots.lots_data(),
                    user=request.user,
                )
            except services.DonationError as error:
                errors.append(error.message)
            else:
                kind = form.cleaned_data["kind"]
                return redirect(reverse("donations:offer_sent") + f"?type={kind}")
        else:
            errors.extend(lots.non_form_errors())
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
            "tax_note": selectors.tax_note(kind),
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


@secret_link
def follow(request, secret):
    offer = _offer_or_404(secret)
    figures = selectors.impact_for_donor(offer.donor)
    return render(
        request,
        "donations/follow.html",
        {
            "offer": offer,
            "secret": secret,
            "journey": donor.journey(offer),
            "can_change": donor.can_change(offer),
            "summary": donor.summary(offer),
            "figures": figures,
            "has_impact": bool(figures["reused"] or figures["recycled"]),
            "source": impact.SOURCE_TITLE,
            "crumbs": crumbs(PART, "donations:home", (_("Suivi de mon don"), None)),
        },
    )


@secret_link
def offer_change(request, secret):
    """The donor changes an offer nobody accepted yet."""
    offer = _offer_or_404(secret)
    if not donor.can_change(offer):
        messages.info(request, _("Cette offre ne peut plus être modifiée ici."))
        return redirect("donations:follow", secret=secret)
    lots = [lot for lot in offer.lots.all() if lot.status == LotStatus.PROPOSED]
    initial = {
        "logistics": offer.logistics,
        "address": offer.address,
        "available_from": offer.available_from,
        "available_until": offer.available_until,
        "phone": offer.donor.phone,
        "notes": offer.notes,
    }
    form = OfferChangeForm(request.POST or None, initial=initial, lots=lots)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            services.update_offer(offer=offer, data=form.cleaned_data, quantities=form.quantities())
        except services.DonationError as refusal:
            error = refusal.message
        else:
            messages.success(
                request, _("Votre offre est modifiée. Nous vous l'avons confirmé par e-mail.")
            )
            return redirect("donations:follow", secret=secret)
    return render(
        request,
        "donations/offer_change.html",
        {
            "form": form,
            "errors": [error] if error else [],
            "secret": secret,
            "crumbs": crumbs(
                PART,
                "donations:home",
                (_("Suivi de mon don"), reverse("donations:follow", args=[secret])),
                (_("Modifier mon offre"), None),
            ),
        },
    )


@secret_link
def offer_withdraw(request, secret):
    """The donor withdraws an offer nobody accepted yet (a confirmation page first)."""
    offer = _offer_or_404(secret)
    if not donor.can_change(offer):
        messages.info(request, _("Cette offre ne peut plus être retirée ici."))
        return redirect("donations:follow", secret=secret)
    if request.method == "POST":
        try:
            services.withdraw_offer(offer=offer, reason=_("Retirée par le donateur"))
        except services.DonationError as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, _("Votre offre est retirée. Merci de nous avoir prévenus."))
        return redirect("donations:follow", secret=secret)
    return render(
        request,
        "donations/offer_withdraw.html",
        {
            "offer": offer,
            "summary": donor.summary(offer),
            "secret": secret,
            "crumbs": crumbs(
                PART,
                "donations:home",
                (_("Suivi de mon don"), reverse("donations:follow", args=[secret])),
                (_("Retirer mon offre"), None),
            ),
        },
    )


@secret_link
def certificate(request, secret):
    offer = _offer_or_404(secret)
    figures = selectors.impact_for_donor(offer.donor)
    return render(
        request,
        "donations/certificate.html",
        {
            "offer": offer,
            "secret": secret,
            "has_impact": bool(figures["reused"] or figures["recycled"]),
            "figures": figures,
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
