"""Reads of the directory, shared by the pages, the API and other parts."""

import re
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from ressourcerie.core.territories import Resolution, resolve_commune

from . import geo, opening_hours
from . import vocabulary as v
from .models import Place

RADIUS_CHOICES = (5, 10, 20, 50, 100)
_POSTAL = re.compile(r"^\d{5}$")


@dataclass
class Filters:
    kind: str = ""
    service: str = ""
    support: str = ""
    public: str = ""
    free: bool = False
    accessible: bool = False
    open_now: bool = False

    def is_empty(self) -> bool:
        return not any(vars(self).values())


@dataclass
class Origin:
    latitude: float
    longitude: float
    label: str
    resolution: Resolution | None = None


@dataclass
class NearResult:
    origin: Origin | None
    places: list = field(default_factory=list)  # Place objects with .distance_km
    resolution: Resolution | None = None  # when the text did not designate one commune


def published_places():
    return Place.objects.filter(is_published=True)


def place_by_slug_or_id(value: str) -> Place | None:
    queryset = published_places().select_related("commune", "organisation")
    place = queryset.filter(slug=value).first()
    if place is None and value.isdigit():
        place = queryset.filter(pk=int(value)).first()
    return place


def filtered_places(filters: Filters):
    """Published places matching the SQL-expressible filters (not "open now")."""
    queryset = published_places()
    if filters.kind in v.ActorKind.values:
        queryset = queryset.filter(kinds__contains=f",{filters.kind},")
    if filters.service in v.Service.values:
        queryset = queryset.filter(services__contains=f",{filters.service},")
    if filters.support in v.AssociationSupport.values:
        queryset = queryset.filter(association_support__contains=f",{filters.support},")
    if filters.public in v.Public.values:
        queryset = queryset.filter(publics__contains=f",{filters.public},")
    elif filters.public in v.SpecificSupport.values:
        queryset = queryset.filter(specific_support__contains=f",{filters.public},")
    if filters.free:
        queryset = queryset.filter(fees__contains=f",{v.Fee.FREE},")
    if filters.accessible:
        queryset = queryset.filter(
            Q(specific_support__contains=f",{v.SpecificSupport.MOTOR},") | ~Q(accessibility_url="")
        )
    return queryset


def locate(text: str) -> tuple[Origin | None, Resolution]:
    """Where "near" means: a commune or a postal code (its most populous commune)."""
    resolution = resolve_commune(text)
    commune = resolution.commune
    if commune is None and resolution.communes and _POSTAL.match(text.strip()):
        commune = resolution.communes[0]
    if commune is None:
        return None, resolution
    label = f"{commune.name} ({commune.department.code})"
    return Origin(commune.latitude, commune.longitude, label, resolution), resolution


def near(
    *,
    latitude: float,
    longitude: float,
    filters: Filters | None = None,
    radius_km: float | None = None,
    limit: int = 20,
) -> list[Place]:
    """Places nearest first, each with ``distance_km`` set; "open now" filtered in Python."""
    filters = filters or Filters()
    queryset = filtered_places(filters)
    wanted = limit * 5 if filters.open_now else limit
    pairs = geo.nearest(queryset, lat=latitude, lon=longitude, limit=wanted, radius_km=radius_km)
    by_pk = Place.objects.select_related("commune").in_bulk([pk for pk, _d in pairs])
    now = timezone.now()
    result = []
    for pk, distance in pairs:
        place = by_pk[pk]
        if filters.open_now and not opening_hours.is_open_now(place.opening_hours, now):
            continue
        place.distance_km = round(distance, 2)
        result.append(place)
        if len(result) >= limit:
            break
    return result


def search_near(
    *,
    text: str = "",
    latitude: float | None = None,
    longitude: float | None = None,
    filters: Filters | None = None,
    radius_km: float | None = None,
    limit: int = 20,
) -> NearResult:
    """Near a typed commune or postal code, or near given coordinates."""
    if latitude is not None and longitude is not None:
        origin = Origin(latitude, longitude, "votre position")
        resolution = None
    else:
        origin, resolution = locate(text)
        if origin is None:
            return NearResult(origin=None, resolution=resolution)
    places = near(
        latitude=origin.latitude,
        longitude=origin.longitude,
        filters=filters,
        radius_km=radius_km,
        limit=limit,
    )
    return NearResult(origin=origin, places=places, resolution=resolution)


def map_points(filters: Filters | None = None) -> list[dict]:
    """Every published place as a compact point for the map (id, name, lat, lon, url)."""
    queryset = filtered_places(filters or Filters()).exclude(latitude__isnull=True)
    return [
        {"n": name, "la": round(lat, 5), "lo": round(lon, 5), "u": slug}
        for name, lat, lon, slug in queryset.values_list("name", "latitude", "longitude", "slug")
    ]
