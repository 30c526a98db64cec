"""Donations in the open API: drop-off points and impact (public), a refurbisher's own lots
(token)."""

from typing import Annotated

from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import BeforeValidator

from ressourcerie.api import geo, v1

from . import impact, permissions, selectors

router = Router(tags=["Dons d'ordinateurs"])
EmptyIsNone = BeforeValidator(lambda value: value if value not in ("", None) else None)
Str = Annotated[str | None, EmptyIsNone, Query(None, max_length=100)]


class DropOffOut(Schema):
    id: int
    name: str
    url: str
    latitude: float | None
    longitude: float | None
    distance_km: float | None
    address: str
    postal_code: str
    commune: str
    kinds: list[str]
    accepted_equipment: list[str]
    opening_hours: str


class ImpactTypeOut(Schema):
    code: str
    label: str
    reused: int
    recycled: int
    kg_co2e: float | None


class ImpactOut(Schema):
    reused: int
    recycled: int
    kg_co2e: float
    by_type: list[ImpactTypeOut]
    source: str
    note: str


class LotOut(Schema):
    id: int
    device_type: str
    quantity: int
    status: str
    commune: str
    erasure_method: str
    erasure_certificate: str
    reused: int
    recycled: int
    allocated: int


DROP_EXAMPLE = {
    "id": 3,
    "name": "Atelier du Réemploi",
    "url": "https://ressourcerie.example.org/acteurs/atelier-du-reemploi/",
    "latitude": 47.21,
    "longitude": -1.55,
    "distance_km": 1.2,
    "address": "3 rue de la Paix",
    "postal_code": "44000",
    "commune": "Nantes",
    "kinds": ["reconditionneur"],
    "accepted_equipment": ["portable", "fixe"],
    "opening_hours": "Mo-Fr 09:00-17:00",
}
LOT_EXAMPLE = {
    "id": 7,
    "device_type": "portable",
    "quantity": 5,
    "status": "reconditionne",
    "commune": "Nantes",
    "erasure_method": "nwipe",
    "erasure_certificate": "CERT-2025-001",
    "reused": 4,
    "recycled": 1,
    "allocated": 0,
}


def _decode(codes: str) -> list[str]:
    return [c for c in (codes or "").split(",") if c]


@router.get(
    "/donations/dropoff-points",
    response=v1.Page[DropOffOut],
    summary="Points de dépôt de matériel les plus proches",
    description=(
        "Points de collecte et reconditionneurs de l'annuaire acceptant un type de matériel "
        "(`equipment` : portable, fixe, ecran, smartphone, tablette, imprimante, "
        "peripheriques), près d'une commune (`q`) ou de coordonnées (`lat`, `lon`)."
    ),
    openapi_extra=v1.example(
        path="/api/v1/donations/dropoff-points?q=Nantes&equipment=portable",
        errors=[422],  # neither a commune nor a position
        response={"count": 1, "page": 1, "pages": 1, "results": [DROP_EXAMPLE]},
    ),
)
def dropoff_points(
    request,
    q: Str = None,
    lat: geo.Latitude = None,
    lon: geo.Longitude = None,
    equipment: Str = None,
    page: v1.PageNumber = 1,
    page_size: v1.PageSize = 20,
):
    geo.require_pair(lat, lon)
    if not q and lat is None:
        message = _("Indiquez une commune (q) ou des coordonnées (lat et lon).")
        raise v1.FieldErrors({"q": [message]}, status=422)
    places, origin, _resolution = selectors.dropoff_points(
        text=q or "", latitude=lat, longitude=lon, equipment=equipment or "", limit=100
    )
    if origin is None:
        raise v1.ApiError(404, "Commune inconnue.")

    def serialize(place):
        return {
            "id": place.pk,
            "name": place.name,
            "url": request.build_absolute_uri(place.get_absolute_url()),
            "latitude": place.latitude,
            "longitude": place.longitude,
            "distance_km": place.distance_km,
            "address": place.address,
            "postal_code": place.postal_code,
            "commune": place.commune_name,
            "kinds": _decode(place.kinds),
            "accepted_equipment": _decode(place.accepted_equipment),
            "opening_hours": place.opening_hours,
        }

    return v1.paginate(request, places, page=page, page_size=page_size, serialize=serialize)


@router.get(
    "/donations/impact",
    response=ImpactOut,
    summary="Impact des dons : appareils réemployés, recyclés, émissions évitées",
    description="Ordres de grandeur ; facteurs et source (ADEME) dans `source` et `note`.",
    openapi_extra=v1.example(
        path="/api/v1/donations/impact",
        response={
            "reused": 4,
            "recycled": 1,
            "kg_co2e": 219.6,
            "by_type": [
                {
                    "code": "portable",
                    "label": "Ordinateur portable",
                    "reused": 4,
                    "recycled": 1,
                    "kg_co2e": 219.6,
                }
            ],
            "source": "ADEME, « Évaluation de l'impact environnemental… »",
            "note": "Ordres de grandeur…",
        },
    ),
)
def impact_figures(request):
    figures = selectors.impact_figures()
    by_type = [{**row, "label": str(row["label"])} for row in figures["by_type"]]
    return {
        **figures,
        "by_type": by_type,
        "source": str(impact.SOURCE_TITLE),
        "note": str(impact.SOURCE_NOTE),
    }


def _lot_dict(lot) -> dict:
    return {
        "id": lot.pk,
        "device_type": lot.device_type,
        "quantity": lot.quantity,
        "status": lot.status,
        "commune": lot.offer.commune.name,
        "erasure_method": lot.erasure_method,
        "erasure_certificate": lot.erasure_certificate,
        "reused": lot.reused_count,
        "recycled": lot.recycled_count,
        "allocated": lot.allocated_count,
    }


@router.get(
    "/donations/lots",
    response=v1.Page[LotOut],
    auth=v1.token_auth,
    summary="Mes lots (reconditionneur)",
    description="Les lots acceptés par les structures dont vous êtes reconditionneur.",
    openapi_extra=v1.example(
        path="/api/v1/donations/lots",
        response={"count": 1, "page": 1, "pages": 1, "results": [LOT_EXAMPLE]},
    ),
)
def my_lots(request, page: v1.PageNumber = 1, page_size: v1.PageSize = 20):
    organisations = permissions.refurbisher_organisations(request.auth.user)
    lots = selectors.lots_of(organisations).order_by("pk")
    return v1.paginate(request, lots, page=page, page_size=page_size, serialize=_lot_dict)


@router.get(
    "/donations/lots/{lot_id}",
    response=LotOut,
    auth=v1.token_auth,
    summary="Un de mes lots (reconditionneur)",
    openapi_extra=v1.example(path="/api/v1/donations/lots/7", response=LOT_EXAMPLE),
)
def my_lot(request, lot_id: int):
    lot = selectors.lot_page(lot_id)
    if lot is None or not permissions.handles_lot(request.auth.user, lot):
        raise v1.ApiError(404, "Lot introuvable.")
    return _lot_dict(lot)


v1.add_router("/", router)
