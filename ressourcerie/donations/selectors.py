"""Reads of the donations part: dashboards, matching, drop-off points, impact."""

import hashlib
import math
from dataclasses import dataclass

from django.db.models import Q, Sum
from django.utils import timezone

from ressourcerie.accounts.models import Membership, Role
from ressourcerie.core.models import Organisation
from ressourcerie.directory import selectors as directory
from ressourcerie.directory import vocabulary as dv

from . import impact
from .models import DeviceType, Lot, LotStatus, Offer, Request, RequestStatus, Transition

OPEN_REQUEST_STATUSES = (RequestStatus.VALIDATED, RequestStatus.PARTIAL)


def _km(lat1, lon1, lat2, lon2) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((phi2 - phi1) / 2) ** 2
        + math.cos(phi1) * math.cos(phi2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


def _commune_point(commune):
    if commune is None or commune.latitude is None:
        return None
    return (commune.latitude, commune.longitude)


def offer_by_secret(secret: str) -> Offer | None:
    digest = hashlib.sha256(secret.encode()).hexdigest()
    return (
        Offer.objects.select_related("donor", "commune")
        .prefetch_related("lots__allocations__request__organisation")
        .filter(token_hash=digest)
        .first()
    )


def refurbisher_location(organisation):
    """Its reconditionneur place in the directory, else its organisation's commune."""
    place = (
        directory.filtered_places(directory.Filters(kind=dv.ActorKind.REFURBISHER))
        .filter(organisation=organisation, latitude__isnull=False)
        .first()
    )
    if place is not None:
        return (place.latitude, place.longitude)
    return _commune_point(organisation.commune)


def refurbishers_near(commune, *, radius_km: float):
    point = _commune_point(commune)
    ids = Membership.objects.filter(role=Role.REFURBISHER, organisation__isnull=False).values(
        "organisation_id"
    )
    result = []
    for organisation in Organisation.objects.filter(pk__in=ids).select_related("commune"):
        here = refurbisher_location(organisation)
        if point is None or here is None or _km(*point, *here) <= radius_km:
            result.append(organisation)
    return result


def _with_distance(items, origin, point_of):
    for item in items:
        point = point_of(item)
        item.distance_km = round(_km(*origin, *point), 1) if origin and point else None
    return sorted(items, key=lambda i: (i.distance_km is None, i.distance_km or 0))


def offers_near(organisation, *, limit: int = 20):
    """Confirmed offers with a lot nobody has accepted yet, nearest first."""
    offers = list(
        Offer.objects.filter(confirmed_at__isnull=False, lots__status=LotStatus.PROPOSED)
        .distinct()
        .select_related("commune")
        .prefetch_related("lots")
    )
    origin = refurbisher_location(organisation)
    return _with_distance(offers, origin, lambda o: _commune_point(o.commune))[:limit]


def lots_of(organisation):
    return (
        Lot.objects.filter(refurbisher=organisation)
        .select_related("offer__commune")
        .prefetch_related("allocations")
        .order_by("status", "pk")
    )


def stock(organisation) -> list[dict]:
    """Devices by type and state for the dashboard table."""
    rows = (
        Lot.objects.filter(refurbisher=organisation)
        .values("device_type", "status")
        .annotate(n=Sum("quantity"))
    )
    table: dict[str, dict] = {}
    for row in rows:
        table.setdefault(row["device_type"], {})[row["status"]] = row["n"]
    return [
        {
            "label": DeviceType(code).label,
            "counts": [table[code].get(status, 0) for status in LotStatus.values],
        }
        for code in DeviceType.values
        if code in table
    ]


def open_requests_near(organisation, *, limit: int = 20):
    requests = list(
        Request.objects.filter(status__in=OPEN_REQUEST_STATUSES)
        .select_related("organisation__commune")
        .prefetch_related("allocations")
    )
    origin = refurbisher_location(organisation)
    return _with_distance(requests, origin, lambda r: _commune_point(r.organisation.commune))[
        :limit
    ]


@dataclass
class Suggestion:
    lot: Lot
    request: Request
    quantity: int
    score: float
    distance_km: float | None
    waiting_days: int


def suggestions(organisation, *, limit: int = 10) -> list[Suggestion]:
    """Reconditioned stock × open requests of the same type, best first. Score out of 100:
    quantity fit 40, stated priority 25, waiting time 20 (capped at 90 days), nearness 15
    (0 beyond 100 km). A person confirms each one."""
    lots = list(lots_of(organisation).filter(status=LotStatus.REFURBISHED))
    requests = open_requests_near(organisation, limit=200)
    now = timezone.now()
    found = []
    for lot in lots:
        available = lot.available_count
        if available <= 0:
            continue
        for request_obj in requests:
            if request_obj.device_type != lot.device_type:
                continue
            if any(a.lot_id == lot.pk for a in request_obj.allocations.all()):
                continue
            remaining = request_obj.quantity - request_obj.allocated_count
            if remaining <= 0:
                continue
            quantity = min(available, remaining)
            waiting = (now - request_obj.created_at).days
            distance = request_obj.distance_km
            score = (
                40 * quantity / remaining
                + 25 * request_obj.priority / 3
                + 20 * min(waiting, 90) / 90
                + 15 * (max(0.0, 1 - distance / 100) if distance is not None else 0)
            )
            found.append(Suggestion(lot, request_obj, quantity, round(score, 1), distance, waiting))
    found.sort(key=lambda s: -s.score)
    return found[:limit]


def history(subject: str, object_id: int):
    return Transition.objects.filter(subject=subject, object_id=object_id).select_related("actor")


def lot_journey(lot) -> list[dict]:
    """The steps a donor sees: status labels and dates, never people's names."""
    return [
        {"status": LotStatus(t.to_status).label, "at": t.at}
        for t in history(Transition.Subject.LOT, lot.pk)
        if t.to_status in LotStatus.values
    ]


# --- drop-off points -------------------------------------------------------------------------
def dropoff_points(
    *, text: str = "", latitude=None, longitude=None, equipment: str = "", limit: int = 20
):
    """Collection points and refurbishers accepting ``equipment``, nearest first, through the
    directory's near-me (one search per kind, merged)."""
    places, origin, resolution = {}, None, None
    for kind in (dv.ActorKind.COLLECTION, dv.ActorKind.REFURBISHER):
        result = directory.search_near(
            text=text,
            latitude=latitude,
            longitude=longitude,
            filters=directory.Filters(kind=kind),
            limit=limit * 3 if equipment else limit,
        )
        origin, resolution = result.origin, result.resolution
        for place in result.places:
            if equipment and f",{equipment}," not in (place.accepted_equipment or ""):
                continue
            places[place.pk] = place
    ordered = sorted(places.values(), key=lambda p: p.distance_km)[:limit]
    return ordered, origin, resolution


# --- impact ----------------------------------------------------------------------------------
def impact_figures(lots=None) -> dict:
    """Reused and recycled devices and emissions avoided, per device type and in total."""
    lots = Lot.objects.all() if lots is None else lots
    rows = lots.values("device_type").annotate(
        reused=Sum(
            "reused_count",
            filter=Q(status__in=[LotStatus.REFURBISHED, LotStatus.ALLOCATED, LotStatus.DELIVERED]),
        ),
        recycled=Sum("recycled_count"),
    )
    by_type, total_kg, reused_total, recycled_total = [], 0.0, 0, 0
    for row in sorted(rows, key=lambda r: r["device_type"]):
        reused, recycled = row["reused"] or 0, row["recycled"] or 0
        if not reused and not recycled:
            continue
        kg = impact.avoided_kg(row["device_type"], reused)
        by_type.append(
            {
                "code": row["device_type"],
                "label": DeviceType(row["device_type"]).label,
                "reused": reused,
                "recycled": recycled,
                "kg_co2e": kg,
            }
        )
        total_kg += kg or 0
        reused_total += reused
        recycled_total += recycled
    return {
        "by_type": by_type,
        "reused": reused_total,
        "recycled": recycled_total,
        "kg_co2e": round(total_kg, 1),
    }


def impact_by_department() -> list[dict]:
    rows = []
    codes = (
        Lot.objects.filter(Q(reused_count__gt=0) | Q(recycled_count__gt=0))
        .values_list("offer__commune__department__code", "offer__commune__department__name")
        .distinct()
    )
    for code, name in sorted(set(codes)):
        figures = impact_figures(Lot.objects.filter(offer__commune__department__code=code))
        rows.append({"code": code, "name": name, **figures})
    return rows


def impact_for_donor(donor) -> dict:
    return impact_figures(Lot.objects.filter(offer__donor=donor))
