"""The map of places and the departments' outlines it draws."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import FileResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control

from ressourcerie.core.navigation import crumbs
from ressourcerie.core.params import int_param

from .. import mapdata, selectors
from ..forms import NearForm
from .common import PART


def _filters(form) -> selectors.Filters:
    return form.filters() if form.is_bound and form.is_valid() else selectors.Filters()


def map_view(request):
    form = NearForm(request.GET or None)
    filters = _filters(form)
    page = Paginator(selectors.map_list(filters), 50)
    page_obj = page.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "directory/map.html",
        {
            "form": form,
            "extent": mapdata.extent(filters),
            "filter_query": query.urlencode(),
            "page_obj": page_obj,
            "places": page_obj.object_list,
            "tile_url": settings.MAP_TILE_URL,
            "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
            "crumbs": crumbs(PART, "directory:near", (_("Carte"), None)),
        },
    )


@cache_control(max_age=60, public=True)
def map_points(request):
    """GeoJSON of the places in ``bbox=w,s,e,n`` at ``zoom``: clusters or places."""
    form = NearForm(request.GET or None)
    data = mapdata.features(
        bbox=mapdata.BBox.parse(request.GET.get("bbox")),
        zoom=int_param(request.GET, "zoom", default=5, min_value=0, max_value=20),
        filters=_filters(form),
    )
    return JsonResponse(data, content_type="application/geo+json")


@cache_control(max_age=86400, public=True)
def map_labels(request):
    """Names of prefectures and populous towns, drawn over the outlines."""
    return JsonResponse({"towns": mapdata.town_labels()})


@cache_control(max_age=86400, public=True)
def departments_geojson(request):
    path = settings.BASE_DIR / "data" / "departements.geojson"
    return FileResponse(path.open("rb"), content_type="application/geo+json")
