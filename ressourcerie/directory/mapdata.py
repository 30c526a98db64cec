"""What the map draws, by bounding box and zoom: clusters from a grid at low zooms, places
at high zooms; and the names of towns (prefectures and populous communes) from the gazetteer.

The page never embeds the places: at 20,000 places that was ~700 KB. A grid cell is about
85 screen pixels at the requested zoom (a 256-pixel tile spans 360 / 2^zoom degrees of
longitude), computed in SQL (``FLOOR`` on both engines) so the server returns at most a few
hundred features whatever the number of places.
"""

import math
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Avg, Count, F, Max, Min
from django.db.models.functions import Floor

from ressourcerie.core.models import Commune

from . import selectors

POINTS_FROM_ZOOM = 12  # from this zoom on, places themselves
MAX_POINTS = 300  # fewer places than this in the box: places themselves at any zoom
MAX_POINTS_HIGH_ZOOM = 3000  # a dense city at street level: still bounded
CELLS_PER_TILE = 3
FRANCE = (-5.5, 41.2, 9.8, 51.2)  # west, south, east, north: the default box


@dataclass(frozen=True)
class BBox:
    west: float
    south: float
    east: float
    north: float

    @classmethod
    def parse(cls, text: str | None) -> "BBox":
        """``"w,s,e,n"`` in degrees; anything unreadable is metropolitan France."""
        try:
            values = [float(v) for v in (text or "").split(",")]
        except ValueError:
            values = []
        if len(values) != 4 or not all(math.isfinite(v) for v in values):
            return cls(*FRANCE)
        west, south, east, north = values
        west, east = max(min(west, east), -180.0), min(max(west, east), 180.0)
        south, north = max(min(south, north), -90.0), min(max(south, north), 90.0)
        return cls(west, south, east, north)

    def filter_kwargs(self) -> dict:
        return {
            "latitude__gte": self.south,
            "latitude__lte": self.north,
            "longitude__gte": self.west,
            "longitude__lte": self.east,
        }


def _point(lon: float, lat: float, properties: dict) -> dict:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [round(lon, 5), round(lat, 5)]},
        "properties": properties,
    }


def features(*, bbox: BBox, zoom: int, filters: selectors.Filters) -> dict:
    """A GeoJSON FeatureCollection for the box: ``{"n": name, "u": slug}`` per place, or
    ``{"count": n}`` per grid cell; ``clustered`` says which."""
    queryset = selectors.filtered_places(filters).filter(**bbox.filter_kwargs())
    if zoom < POINTS_FROM_ZOOM:
        cell = 360.0 / (2**zoom) / CELLS_PER_TILE
        cells = list(
            queryset.annotate(
                # Anchored on the world, not the box: clusters stay put as the map pans.
                gx=Floor((F("longitude") + 180.0) / cell),
                gy=Floor((F("latitude") + 90.0) / cell),
            )
            .values("gx", "gy")
            .annotate(n=Count("pk"), lat=Avg("latitude"), lon=Avg("longitude"))
            .values_list("n", "lat", "lon")
            .order_by()
        )
        if sum(n for n, _lat, _lon in cells) > MAX_POINTS:
            return {
                "type": "FeatureCollection",
                "clustered": True,
                "features": [_point(lon, lat, {"count": n}) for n, lat, lon in cells],
            }
    rows = queryset.order_by("pk").values_list("name", "slug", "latitude", "longitude")
    return {
        "type": "FeatureCollection",
        "clustered": False,
        "features": [
            _point(lon, lat, {"n": name, "u": slug})
            for name, slug, lat, lon in rows[:MAX_POINTS_HIGH_ZOOM]
        ],
    }


def extent(filters: selectors.Filters) -> list[float] | None:
    """``[west, south, east, north]`` of the places (where the map opens), or None."""
    box = (
        selectors.filtered_places(filters)
        .exclude(latitude__isnull=True)
        .aggregate(w=Min("longitude"), s=Min("latitude"), e=Max("longitude"), n=Max("latitude"))
    )
    if box["w"] is None:
        return None
    return [round(box[k], 4) for k in ("w", "s", "e", "n")]


# --- Town names -------------------------------------------------------------------------

# The prefecture of each department, by name as the gazetteer writes it (INSEE codes are
# less readable and the list is checked against data/communes.csv by the tests).
PREFECTURES = {
    "01": "Bourg-en-Bresse", "02": "Laon", "03": "Moulins", "04": "Digne-les-Bains",
    "05": "Gap", "06": "Nice", "07": "Privas", "08": "Charleville-Mézières", "09": "Foix",
    "10": "Troyes", "11": "Carcassonne", "12": "Rodez", "13": "Marseille", "14": "Caen",
    "15": "Aurillac", "16": "Angoulême", "17": "La Rochelle", "18": "Bourges", "19": "Tulle",
    "21": "Dijon", "22": "Saint-Brieuc", "23": "Guéret", "24": "Périgueux", "25": "Besançon",
    "26": "Valence", "27": "Évreux", "28": "Chartres", "29": "Quimper", "2A": "Ajaccio",
    "2B": "Bastia", "30": "Nîmes", "31": "Toulouse", "32": "Auch", "33": "Bordeaux",
    "34": "Montpellier", "35": "Rennes", "36": "Châteauroux", "37": "Tours", "38": "Grenoble",
    "39": "Lons-le-Saunier", "40": "Mont-de-Marsan", "41": "Blois", "42": "Saint-Étienne",
    "43": "Le Puy-en-Velay", "44": "Nantes", "45": "Orléans", "46": "Cahors", "47": "Agen",
    "48": "Mende", "49": "Angers", "50": "Saint-Lô", "51": "Châlons-en-Champagne",
    "52": "Chaumont", "53": "Laval", "54": "Nancy", "55": "Bar-le-Duc", "56": "Vannes",
    "57": "Metz", "58": "Nevers", "59": "Lille", "60": "Beauvais", "61": "Alençon",
    "62": "Arras", "63": "Clermont-Ferrand", "64": "Pau", "65": "Tarbes", "66": "Perpignan",
    "67": "Strasbourg", "68": "Colmar", "69": "Lyon", "70": "Vesoul", "71": "Mâcon",
    "72": "Le Mans", "73": "Chambéry", "74": "Annecy", "75": "Paris", "76": "Rouen",
    "77": "Melun", "78": "Versailles", "79": "Niort", "80": "Amiens", "81": "Albi",
    "82": "Montauban", "83": "Toulon", "84": "Avignon", "85": "La Roche-sur-Yon",
    "86": "Poitiers", "87": "Limoges", "88": "Épinal", "89": "Auxerre", "90": "Belfort",
    "91": "Évry-Courcouronnes", "92": "Nanterre", "93": "Bobigny", "94": "Créteil",
    "95": "Cergy", "971": "Basse-Terre", "972": "Fort-de-France", "973": "Cayenne",
    "974": "Saint-Denis", "976": "Mamoudzou",
}  # fmt: skip


def town_labels() -> list[dict]:
    """``[{"n": name, "la": lat, "lo": lon, "p": 1 if prefecture else 0}, ...]``: the
    prefectures, then the communes of at least ``MAP_LABEL_MIN_POPULATION`` inhabitants."""
    threshold = settings.MAP_LABEL_MIN_POPULATION
    rows = Commune.objects.filter(population__gte=min(threshold, 1_000)).values_list(
        "name", "department__code", "population", "latitude", "longitude"
    )
    labels = []
    for name, department, population, lat, lon in rows.order_by("-population").iterator():
        prefecture = PREFECTURES.get(department) == name
        if prefecture or (population or 0) >= threshold:
            labels.append(
                {"n": name, "la": round(lat, 4), "lo": round(lon, 4), "p": int(prefecture)}
            )
    return labels
