import json

from django.conf import settings
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_http_methods

from ressourcerie.core import moderation
from ressourcerie.core.ratelimit import allow, client_ip

from . import opening_hours, selectors, services
from .forms import ImportForm, NearForm, ReportForm
from .importers import import_file

STALE_AFTER_DAYS = 365


def _crumbs(*extra):
    if not extra:
        return [(_("Annuaire et carte des acteurs"), None)]
    return [(_("Annuaire et carte des acteurs"), "/acteurs/"), *extra]


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
            "crumbs": _crumbs(),
            "now": timezone.now(),
        },
    )


def map_view(request):
    form = NearForm(request.GET or None)
    filters = form.filters() if form.is_bound and form.is_valid() else selectors.Filters()
    queryset = selectors.filtered_places(filters).exclude(latitude__isnull=True)
    page = Paginator(queryset.order_by("name").only("name", "slug", "commune_name"), 50)
    page_obj = page.get_page(request.GET.get("page"))
    return render(
        request,
        "directory/map.html",
        {
            "form": form,
            "points": selectors.map_points(filters),
            "page_obj": page_obj,
            "places": page_obj.object_list,
            "tile_url": settings.MAP_TILE_URL,
            "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
            "crumbs": _crumbs((_("Carte"), None)),
        },
    )


@cache_control(max_age=86400, public=True)
def departments_geojson(request):
    path = settings.BASE_DIR / "data" / "departements.geojson"
    return FileResponse(path.open("rb"), content_type="application/geo+json")


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
    last_confirmed = place.confirmed_at or place.created_at
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
            "stale": (timezone.now() - last_confirmed).days > STALE_AFTER_DAYS,
            "crumbs": _crumbs((place.name, None)),
        },
    )


@require_http_methods(["GET", "POST"])
def report_error(request, slug):
    place = selectors.place_by_slug_or_id(slug)
    if place is None:
        raise Http404
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not allow("place-report", key=client_ip(request), limit=5, period=3600):
            form.add_error(None, _("Trop de signalements envoyés : réessayez dans une heure."))
        else:
            report = form.save(commit=False)
            report.place = place
            user = request.user if request.user.is_authenticated else None
            moderation.submit(obj=report, by=user)
            messages.success(request, _("Merci : l'équipe va vérifier et corriger la fiche."))
            return redirect(place)
    return render(
        request,
        "directory/report.html",
        {
            "place": place,
            "form": form,
            "crumbs": _crumbs((place.name, place.get_absolute_url()), (_("Signaler"), None)),
        },
    )


@staff_member_required
@require_http_methods(["GET", "POST"])
def import_places(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = import_file(
            data=upload.read(),
            file_name=upload.name[:200],
            dataset=form.cleaned_data["dataset"],
            dry_run=form.cleaned_data["dry_run"],
        )
        services.log_import(report=report, by=request.user)
    return render(
        request,
        "directory/import.html",
        {"form": form, "report": report, "crumbs": _crumbs((_("Importer des lieux"), None))},
    )
