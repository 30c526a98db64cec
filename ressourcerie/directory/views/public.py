"""Public pages: search near me, a place's page, "signaler une erreur", writing to a place."""

import dataclasses
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ressourcerie.core import pagecache, ratelimit
from ressourcerie.core.navigation import crumbs

from .. import listings, opening_hours, permissions, selectors, services
from ..forms import ContactForm, NearForm, ReportForm
from ..ratelimits import LIMITS
from .common import PART, place_or_404

# The near-me form's filters, each with the query parameter that carries it and what
# removing it is called on the page ("Sans « Gratuit »").
_FILTER_PARAMS = (
    ("type", "kind"),
    ("service", "service"),
    ("accompagnement", "support"),
    ("public", "public"),
    ("gratuit", "free"),
    ("accessible", "accessible"),
    ("ouvert", "open_now"),
)


def _relaxations(request, form, origin, filters, radius_km) -> list[dict]:
    """For each filter set, what the search would find without it (count within the
    radius) and the address that drops it."""
    items = []
    for param, attribute in _FILTER_PARAMS:
        if not getattr(filters, attribute):
            continue
        field = form[param]
        chosen = form.cleaned_data.get(param)
        shown = dict(field.field.choices).get(chosen, "") if hasattr(field.field, "choices") else ""
        query = request.GET.copy()
        query.pop(param, None)
        query.pop("page", None)
        without = dataclasses.replace(filters, **{attribute: type(getattr(filters, attribute))()})
        items.append(
            {
                "label": f"{field.label} : {shown}" if shown else str(field.label),
                "url": f"?{query.urlencode()}",
                "count": selectors.count_within(
                    origin=origin, filters=without, radius_km=radius_km
                ),
            }
        )
    return items


def near(request):
    form = NearForm(request.GET or None)
    result = None
    relaxations = []
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        lat, lon = data.get("lat"), data.get("lon")
        origin = None
        if data.get("q") is not None:
            origin = selectors.origin_of(data["q"])
        elif lat is not None and lon is not None:
            origin = selectors.Origin(lat, lon, _("votre position"))
        if origin is not None:
            filters = form.filters()
            radius = data.get("rayon") or settings.DIRECTORY_NEAR_RADIUS_KM
            result = selectors.honest_near(
                origin=origin, filters=filters, radius_km=radius, limit=20
            )
            if (result.beyond or not result.places) and not filters.is_empty():
                relaxations = _relaxations(request, form, origin, filters, radius)
    return render(
        request,
        "directory/near.html",
        {
            "form": form,
            "result": result,
            "relaxations": relaxations,
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


@pagecache.lifetime(60)  # « Ouvert maintenant » changes with the clock
def place_detail(request, slug):
    place = selectors.place_by_slug_or_id(slug)
    if place is None:
        raise Http404
    if place.slug != slug:
        return redirect(place, permanent=True)
    week = opening_hours.parse(place.opening_hours)
    user = request.user
    can_edit = permissions.can_edit_place(user, place)
    return render(
        request,
        "directory/place_detail.html",
        {
            "place": place,
            "week": week,
            "hours_table": week.table() if week else [],
            "open_now": week.is_open(timezone.now()) if week else None,
            "json_ld": _json_ld(request, place),
            "sources": selectors.source_identifiers(place),
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
            "can_edit": can_edit,
            "pending_edits": list(selectors.pending_edits(place)) if can_edit else [],
            "own_pending": listings.pending_edit_by(place, user) if can_edit else None,
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
