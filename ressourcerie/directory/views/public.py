"""Public pages: search near me, a place's page, "signaler une erreur", writing to a place."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ressourcerie.core import ratelimit
from ressourcerie.core.navigation import crumbs

from .. import opening_hours, permissions, selectors, services
from ..forms import ContactForm, NearForm, ReportForm
from ..ratelimits import LIMITS
from .common import PART, place_or_404


def near(request):
    form = NearForm(request.GET or None)
    result = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        lat, lon = data.get("lat"), data.get("lon")
        if data.get("q") or (lat is not None and lon is not None):
            located = lat is not None and lon is not None and not data.get("q")
            result = selectors.search_near(
                text=data.get("q") or "",
                latitude=lat if located else None,
                longitude=lon if located else None,
                filters=form.filters(),
                radius_km=data.get("rayon"),
                limit=20,
            )
    return render(
        request,
        "directory/near.html",
        {
            "form": form,
            "result": result,
            "checks": [form["gratuit"], form["accessible"], form["ouvert"]],
            "filters_set": form.is_bound and form.is_valid() and not form.filters().is_empty(),
            "crumbs": [(PART, None)],  # the part's own page
            "now": timezone.now(),
        },
    )


def _json_ld(request, place) -> str:
    data = {
        "@context": "https://schema.org",
        "@type": "Place",
        "name": place.name,
        "url": request.build_absolute_uri(place.get_absolute_url()),
        "address": {
            "@type": "PostalAddress",
            "streetAddress": place.address,
            "postalCode": place.postal_code,
            "addressLocality": place.commune_name,
            "addressCountry": "FR",
        },
    }
    if place.latitude is not None:
        data["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": place.latitude,
            "longitude": place.longitude,
        }
    if place.phone:
        data["telephone"] = place.phone
    if place.summary:
        data["description"] = place.summary
    if place.opening_hours and opening_hours.parse(place.opening_hours):
        data["openingHours"] = place.opening_hours
    text = json.dumps(data, ensure_ascii=False)
    # Same escaping as json_script: nothing in the data can close the element.
    return text.replace("<", "\\u003C").replace(">", "\\u003E").replace("&", "\\u0026")


def place_detail(request, slug):
    place = selectors.place_by_slug_or_id(slug)
    if place is None:
        raise Http404
    if place.slug != slug:
        return redirect(place, permanent=True)
    week = opening_hours.parse(place.opening_hours)
    user = request.user
    return render(
        request,
        "directory/place_detail.html",
        {
            "place": place,
            "week": week,
            "hours_table": week.table() if week else [],
            "open_now": week.is_open(timezone.now()) if week else None,
            "json_ld": _json_ld(request, place),
            "sources": list(place.sources.all()),
            "kinds": place.labels("kinds"),
            "guidasso_level": place.get_guidasso_level_display() if place.guidasso_level else "",
            "association_support": place.labels("association_support"),
            "services": place.labels("services"),
            "publics": place.labels("publics") + place.labels("specific_support"),
            "fees": place.labels("fees"),
            "programmes": place.labels("national_programmes"),
            "access_modes": place.labels("access_modes"),
            "support_modes": place.labels("support_modes"),
            "labels": place.labels("training_labels") + list(place.other_labels or []),
            "equipment": place.labels("accepted_equipment"),
            "stale": selectors.is_stale(place),
            "last_confirmed": selectors.last_confirmed_at(place),
            "has_contact": bool(selectors.contact_emails(place)),
            "can_edit": permissions.can_edit_place(user, place),
            "is_editor": permissions.is_place_editor(user, place),
            "crumbs": crumbs(PART, "directory:near", (place.name, None)),
        },
    )


@require_http_methods(["GET", "POST"])
def report_error(request, slug):
    place = selectors.place_by_slug_or_id(slug)
    if place is None:
        raise Http404
    form = ReportForm(request.POST or None)
    wait = 0
    if request.method == "POST" and form.is_valid():
        if wait := LIMITS.check_contribution(request, "report"):
            form.add_error(None, ratelimit.too_many_message(wait))
        else:
            services.report_place_error(
                place=place,
                message=form.cleaned_data["message"],
                email=form.cleaned_data["email"],
                by=request.user,
            )
            messages.success(request, _("Merci : l'équipe va vérifier et corriger la fiche."))
            return redirect(place)
    return render(
        request,
        "directory/report.html",
        {
            "place": place,
            "form": form,
            "crumbs": crumbs(
                PART,
                "directory:near",
                (place.name, place.get_absolute_url()),
                (_("Signaler"), None),
            ),
        },
        status=429 if wait else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def contact(request, slug):
    """A member of an association writes to the actor through the site."""
    place = place_or_404(slug)
    can_write = permissions.can_write_to_place(request.user)
    associations = list(permissions.associations_writing_as(request.user)) if can_write else []
    has_contact = bool(selectors.contact_emails(place))
    form = None
    wait = 0
    if can_write and has_contact:
        form = ContactForm(request.POST or None, associations=associations)
        if request.method == "POST" and form.is_valid():
            if wait := LIMITS.check(user=("contact_user", request.user)):
                form.add_error(
                    None,
                    f"{_('Vous avez envoyé beaucoup de messages.')} "
                    f"{ratelimit.retry_message(wait)}",
                )
            elif wait := LIMITS.check(key=("contact_place", f"place:{place.pk}")):
                form.add_error(
                    None,
                    _("Ce lieu a reçu beaucoup de messages aujourd'hui : réessayez demain."),
                )
            else:
                try:
                    services.send_contact_message(
                        place=place,
                        sender=request.user,
                        organisation=form.chosen_association(),
                        subject=form.cleaned_data["subject"],
                        body=form.cleaned_data["body"],
                    )
                except services.DirectoryError as error:
                    form.add_error(None, error.message)
                else:
                    messages.success(
                        request,
                        _("Message envoyé. Le lieu vous répondra directement par e-mail."),
                    )
                    return redirect(place)
    return render(
        request,
        "directory/contact.html",
        {
            "place": place,
            "form": form,
            "associations": associations,
            "has_contact": has_contact,
            "crumbs": crumbs(
                PART, "directory:near", (place.name, place.get_absolute_url()), (_("Écrire"), None)
            ),
        },
        status=429 if wait else 400 if request.method == "POST" and form is not None else 200,
    )
