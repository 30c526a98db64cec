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

from .. import exports, impact, selectors, services
from ..forms import DropOffForm, LotFormSet, OfferForm
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
    return render(
        request,
        "donations/follow.html",
        {
            "offer": offer,
            "secret": secret,
            "journey": selectors.donor_journey(offer),
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
