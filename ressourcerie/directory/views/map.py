"""The map of places and the departments' outlines it draws."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control

from ressourcerie.core.navigation import crumbs

from .. import selectors
from ..forms import NearForm
from .common import PART


def map_view(request):
    form = NearForm(request.GET or None)
    filters = form.filters() if form.is_bound and form.is_valid() else selectors.Filters()
    page = Paginator(selectors.map_list(filters), 50)
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
            "crumbs": crumbs(PART, "directory:near", (_("Carte"), None)),
        },
    )


@cache_control(max_age=86400, public=True)
def departments_geojson(request):
    path = settings.BASE_DIR / "data" / "departements.geojson"
    return FileResponse(path.open("rb"), content_type="application/geo+json")
