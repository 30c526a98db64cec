"""Distances and "nearest first", the same on SQLite and PostgreSQL.

A bounding box is filtered in SQL (composite index on latitude, longitude), then the exact
great-circle distance (haversine) is computed in Python on the few candidates. No engine
extension (PostGIS, SpatiaLite) is needed; the box widens until it holds enough places.
"""

import math
from dataclasses import dataclass

EARTH_RADIUS_KM = 6371.0088
KM_PER_DEGREE_LAT = 111.32


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


@dataclass(frozen=True)
class Box:
    min_lat: float
    max_lat: float
    min_lon: float
    max_lon: float

    def filter_kwargs(self, prefix: str = "") -> dict:
        return {
            f"{prefix}latitude__gte": self.min_lat,
            f"{prefix}latitude__lte": self.max_lat,
            f"{prefix}longitude__gte": self.min_lon,
            f"{prefix}longitude__lte": self.max_lon,
        }


def bounding_box(lat: float, lon: float, radius_km: float) -> Box:
    """The lat/lon rectangle holding every point within ``radius_km`` of (lat, lon)."""
    dlat = radius_km / KM_PER_DEGREE_LAT
    cos_lat = max(math.cos(math.radians(lat)), 0.01)
    dlon = min(radius_km / (KM_PER_DEGREE_LAT * cos_lat), 180.0)
    return Box(max(lat - dlat, -90.0), min(lat + dlat, 90.0), lon - dlon, lon + dlon)


def nearest(
    queryset,
    *,
    lat: float,
    lon: float,
    limit: int = 20,
    radius_km: float | None = None,
    start_km: float = 5.0,
    max_km: float = 1000.0,
) -> list[tuple[int, float]]:
    """``[(pk, distance_km), ...]`` nearest first: at most ``limit``, within ``radius_km``.

    Without a radius the box doubles from ``start_km`` until ``limit`` places lie inside the
    circle it encloses (so none nearer can be outside it), up to ``max_km``.
    """
    ceiling = radius_km if radius_km is not None else max_km
    reach = min(start_km, ceiling) if radius_km is None else radius_km
    while True:
        box = bounding_box(lat, lon, reach)
        rows = queryset.filter(**box.filter_kwargs()).values_list("pk", "latitude", "longitude")
        scored = sorted(
            (haversine_km(lat, lon, plat, plon), pk) for pk, plat, plon in rows.iterator()
        )
        inside = [(pk, d) for d, pk in scored if d <= reach]
        if len(inside) >= limit or reach >= ceiling:
            return inside[:limit]
        reach = min(reach * 2 if len(inside) == 0 else reach * 1.6, ceiling)
