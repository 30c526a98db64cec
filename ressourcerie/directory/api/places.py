"""Reading places: nearest first with filters, one place, and the open-data exports."""

import json
from typing import Annotated

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext as _
from ninja import Path, Query, Schema
from pydantic import BeforeValidator

from ressourcerie.api import geo, v1

from .. import exports, opening_hours, selectors
from .. import vocabulary as v
from .routes import OPERATION_PREFIX, router

EmptyIsNone = BeforeValidator(lambda value: value if value not in ("", None) else None)


class OriginOut(Schema):
    latitude: float
    longitude: float
    label: str


class PlaceOut(Schema):
    id: int
    slug: str
    url: str
    name: str
    latitude: float | None
    longitude: float | None
    distance_km: float | None
    address: str
    postal_code: str
    commune: str
    insee_code: str
    kinds: list[str]
    guidasso_level: int | None
    association_support: list[str]
    services: list[str]
    publics: list[str]
    specific_support: list[str]
    fees: list[str]
    opening_hours: str
    open_now: bool | None
    phone: str
    websites: list[str]
    summary: str
    updated_on: str
    licence: str


class NearPage(Schema):
    count: int
    origin: OriginOut | None
    results: list[PlaceOut]


EXAMPLE = {
    "id": 12,
    "slug": "mediatheque-angouleme",
    "url": "https://ressourcerie.example.org/acteurs/mediatheque-angouleme/",
    "name": "Médiathèque l'Alpha",
    "latitude": 45.6506,
    "longitude": 0.1606,
    "distance_km": 0.42,
    "address": "1 rue Coulomb",
    "postal_code": "16000",
    "commune": "Angoulême",
    "insee_code": "16015",
    "kinds": ["mediation"],
    "guidasso_level": None,
    "association_support": [],
    "services": ["Maîtrise des outils numériques du quotidien"],
    "publics": [],
    "specific_support": [],
    "fees": ["Gratuit"],
    "opening_hours": "Tu-Sa 10:00-18:00",
    "open_now": True,
    "phone": "+33545000000",
    "websites": [],
    "summary": "",
    "updated_on": "2023-05-11",
    "licence": "etalab-2.0",
}


def place_to_dict(request, place) -> dict:
    hours_open = opening_hours.is_open_now(place.opening_hours)
    return {
        "id": place.pk,
        "slug": place.slug,
        "url": request.build_absolute_uri(place.get_absolute_url()),
        "name": place.name,
        "latitude": place.latitude,
        "longitude": place.longitude,
        "distance_km": getattr(place, "distance_km", None),
        "address": place.address,
        "postal_code": place.postal_code,
        "commune": place.commune_name,
        "insee_code": place.insee_code,
        "kinds": v.decode(place.kinds),
        "guidasso_level": place.guidasso_level,
        "association_support": v.decode(place.association_support),
        "services": place.labels("services"),
        "publics": place.labels("publics"),
        "specific_support": place.labels("specific_support"),
        "fees": place.labels("fees"),
        "opening_hours": place.opening_hours,
        "open_now": hours_open,
        "phone": place.phone,
        "websites": place.websites or [],
        "summary": place.summary,
        "updated_on": exports.place_row(place)["date_maj"] if place.latitude is not None else "",
        "licence": "etalab-2.0",
    }


Str = Annotated[str | None, EmptyIsNone, Query(None, max_length=100)]
Ident = Annotated[
    str,
    Path(
        pattern=r"^[-a-zA-Z0-9_]+$",
        max_length=220,
        description="Adresse courte (slug) ou numéro du lieu.",
    ),
]


def place_or_404(ident: str):
    place = selectors.place_by_slug_or_id(ident)
    if place is None:
        raise v1.ApiError(404, _("Aucun lieu n'a cette adresse."))
    return place


@router.get(
    "/places",
    operation_id=f"{OPERATION_PREFIX}list_places",
    response=NearPage,
    summary="Lieux et acteurs, les plus proches d'abord",
    description=(
        "Donnez `lat` et `lon`, ou `commune`, ou `code_postal` : les lieux les plus proches "
        "d'abord, avec `distance_km`. Filtres : kind, service, support, public, free, "
        "accessible, open_now. Sans position : les lieux par nom. Licence etalab-2.0."
    ),
    openapi_extra=v1.example(
        path="/api/v1/places?code_postal=16000&limit=1",
        errors=[404, 422],  # unknown commune or postal code; lat without lon
        response={
            "count": 1,
            "origin": {"latitude": 45.6484, "longitude": 0.1562, "label": "Angoulême (16)"},
            "results": [EXAMPLE],
        },
    ),
)
def list_places(
    request,
    lat: geo.Latitude = None,
    lon: geo.Longitude = None,
    commune: Str = None,
    # An empty value means "not given" (EmptyIsNone), so the documented pattern allows it.
    code_postal: Annotated[str | None, EmptyIsNone, Query(None, pattern=r"^(\d{5})?$")] = None,
    radius_km: geo.RadiusKm = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    kind: Str = None,
    service: Str = None,
    support: Str = None,
    public: Str = None,
    free: bool = False,
    accessible: bool = False,
    open_now: bool = False,
):
    filters = selectors.Filters(
        kind=kind or "",
        service=service or "",
        support=support or "",
        public=public or "",
        free=free,
        accessible=accessible,
        open_now=open_now,
    )
    geo.require_pair(lat, lon)
    text = code_postal or commune or ""
    if lat is None and not text:
        places = list(selectors.filtered_places(filters).order_by("name")[:limit])
        origin = None
    else:
        result = selectors.search_near(
            text=text,
            latitude=lat,
            longitude=lon,
            filters=filters,
            radius_km=radius_km,
            limit=limit,
        )
        if result.origin is None:
            suggestions = [
                c.name for c in (result.resolution.suggestions if result.resolution else [])
            ]
            raise v1.ApiError(
                404,
                _("Commune ou code postal inconnu."),
                code="unknown_place",
                details={"suggestions": suggestions},
            )
        places, origin = result.places, result.origin
    return {
        "count": len(places),
        "origin": (
            {"latitude": origin.latitude, "longitude": origin.longitude, "label": origin.label}
            if origin
            else None
        ),
        "results": [place_to_dict(request, p) for p in places],
    }


def _export_response(body, content_type: str, filename: str, streaming: bool = False):
    response_class = StreamingHttpResponse if streaming else HttpResponse
    response = response_class(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Link"] = (
        f'<{exports.LICENCE["path"]}>; rel="license", <{exports.SCHEMA_URI}>; rel="describedby"'
    )
    response["X-Licence"] = "etalab-2.0"
    return response


@router.get(
    "/places/export.csv",
    operation_id=f"{OPERATION_PREFIX}export_csv",
    summary="Export CSV au standard des lieux de médiation numérique v1.0.1",
    description="Tous les lieux publiés, 32 colonnes du schéma v1.0.1. Licence etalab-2.0.",
    openapi_extra=v1.example(
        path="/api/v1/places/export.csv",
        response="id,pivot,nom,commune,code_postal,...\r\nmediatheque-angouleme,0000...",
    ),
)
def export_csv(request):
    lines = exports.csv_lines(selectors.published_places())
    return _export_response(lines, "text/csv; charset=utf-8", "lieux-mediation.csv", True)


@router.get(
    "/places/export.json",
    operation_id=f"{OPERATION_PREFIX}export_json",
    summary="Export JSON au standard v1.0.1",
    openapi_extra=v1.example(
        path="/api/v1/places/export.json",
        response={"schema": exports.SCHEMA_URI, "licence": exports.LICENCE, "count": 0, "data": []},
    ),
)
def export_json(request):
    body = json.dumps(exports.json_document(selectors.published_places()), ensure_ascii=False)
    return _export_response(body, "application/json", "lieux-mediation.json")


@router.get(
    "/places/export.geojson",
    operation_id=f"{OPERATION_PREFIX}export_geojson",
    summary="Export GeoJSON au standard v1.0.1",
    openapi_extra=v1.example(
        path="/api/v1/places/export.geojson",
        response={"type": "FeatureCollection", "licence": exports.LICENCE, "features": []},
    ),
)
def export_geojson(request):
    body = json.dumps(exports.geojson_document(selectors.published_places()), ensure_ascii=False)
    return _export_response(body, "application/geo+json", "lieux-mediation.geojson")


@router.get(
    "/places/{ident}",
    operation_id=f"{OPERATION_PREFIX}get_place",
    response=PlaceOut,
    summary="Un lieu",
    openapi_extra=v1.example(path="/api/v1/places/mediatheque-angouleme", response=EXAMPLE),
)
def get_place(request, ident: Ident):
    return place_to_dict(request, place_or_404(ident))
