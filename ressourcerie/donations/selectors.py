"""Reads of the donations part: dashboards, matching, drop-off points, impact."""

from dataclasses import dataclass

from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from ressourcerie.accounts.models import Membership, Role
from ressourcerie.core.models import Organisation
from ressourcerie.core.tokens import hash_token
from ressourcerie.directory import selectors as directory

from . import impact
from .models import (
    DEFAULT_RADIUS_KM,
    Allocation,
    AreaKind,
    DeviceRequest,
    DeviceType,
    DonorKind,
    Lot,
    LotStatus,
    Offer,
    RequestStatus,
    ServiceArea,
    Transition,
)

OPEN_REQUEST_STATUSES = (RequestStatus.VALIDATED, RequestStatus.PARTIAL)


def _commune_point(commune):
    if commune is None or commune.latitude is None:
        return None
    return (commune.latitude, commune.longitude)


def offer_page(pk: int) -> Offer | None:
    return (
        Offer.objects.select_related("donor", "commune").prefetch_related("lots").filter(pk=pk)
    ).first()


def lot_page(pk: int) -> Lot | None:
    return (
        Lot.objects.select_related("offer__donor", "offer__commune", "refurbisher")
        .filter(pk=pk)
        .first()
    )


def request_page(pk: int) -> DeviceRequest | None:
    return DeviceRequest.objects.select_related("organisation").filter(pk=pk).first()


def allocation_page(pk: int) -> Allocation | None:
    return Allocation.objects.select_related("request").filter(pk=pk).first()


def requests_of(organisations):
    """The requests of these associations, newest first, with what was allocated."""
    return (
        DeviceRequest.objects.filter(organisation__in=organisations)
        .select_related("organisation")
        .prefetch_related("allocations__lot")
        .order_by("-created_at")
    )


def requests_to_validate():
    return DeviceRequest.objects.filter(status=RequestStatus.SUBMITTED).select_related(
        "organisation"
    )


def open_requests():
    """Validated requests still waiting for devices, oldest first."""
    return (
        DeviceRequest.objects.filter(status__in=OPEN_REQUEST_STATUSES)
        .select_related("organisation")
        .order_by("created_at")
    )


def tax_note(kind: str) -> str:
    """Information only: whether a tax receipt for a gift in kind can apply."""
    if kind in (DonorKind.COMPANY, DonorKind.ASSOCIATION):
        return _(
            "Un don en nature à un organisme d'intérêt général peut ouvrir droit à une "
            "réduction d'impôt (article 238 bis du code général des impôts pour les "
            "entreprises). Le reçu fiscal ne peut être délivré que par l'organisme qui reçoit "
            "le don, s'il y est habilité ; renseignez-vous auprès du reconditionneur. "
            "Information seulement, pas un conseil fiscal."
        )
    if kind == DonorKind.LOCAL_AUTHORITY:
        return _(
            "Une collectivité ne bénéficie pas de réduction d'impôt pour un don en nature ; "
            "le don de matériel informatique réformé est encadré par l'article L. 2112-1 du "
            "code général de la propriété des personnes publiques (délibération de cession). "
            "Information seulement."
        )
    return _(
        "Un particulier qui donne du matériel à une association d'intérêt général peut, selon "
        "les cas, recevoir un reçu fiscal de l'organisme bénéficiaire. Information seulement."
    )


def offer_by_secret(secret: str) -> Offer | None:
    return (
        Offer.objects.select_related("donor", "commune")
        .prefetch_related("lots__allocations__request__organisation")
        .filter(token_hash=hash_token(secret))
        .first()
    )


def _workshops(organisation) -> list:
    """Its places of kind reconditionneur in the directory that have coordinates."""
    return list(
        directory.filtered_places(directory.Filters(kind=directory.actor_kinds().REFURBISHER))
        .filter(organisation=organisation, latitude__isnull=False)
        .select_related("commune__department")
        .order_by("pk")
    )


def refurbisher_location(organisation):
    """Its reconditionneur place in the directory, else its organisation's commune."""
    places = _workshops(organisation)
    if places:
        return (places[0].latitude, places[0].longitude)
    return _commune_point(organisation.commune)


@dataclass(frozen=True)
class Area:
    """A refurbisher's service area, resolved: the workshops it is measured from, and the
    rule (a radius around them, or their departments)."""

    kind: str
    radius_km: int
    centres: tuple  # ((latitude, longitude), ...)
    where: str  # the workshops as a person reads them: "Nantes", "Atelier nantais, Nantes"
    departments: tuple  # ((department id, "Loire-Atlantique (44)"), ...)

    @property
    def department_ids(self) -> set[int]:
        return {pk for pk, _label in self.departments}

    @property
    def is_known(self) -> bool:
        """False when the refurbisher's location is unknown: it then sees no offer."""
        if self.kind == AreaKind.DEPARTMENTS:
            return bool(self.departments)
        return bool(self.centres)

    def distance_to(self, commune) -> float | None:
        point = _commune_point(commune)
        if point is None or not self.centres:
            return None
        return min(directory.distance_km(*centre, *point) for centre in self.centres)

    def covers(self, commune) -> bool:
        if commune is None:
            return False
        if self.kind == AreaKind.DEPARTMENTS:
            return commune.department_id in self.department_ids
        distance = self.distance_to(commune)
        return distance is not None and distance <= self.radius_km

    def prefilter(self, prefix: str = "") -> Q:
        """SQL that keeps every commune (through ``prefix``) the area may cover."""
        if not self.is_known:
            return Q(pk__in=[])
        if self.kind == AreaKind.DEPARTMENTS:
            return Q(**{f"{prefix}department_id__in": self.department_ids})
        boxes = Q()
        for latitude, longitude in self.centres:
            boxes |= directory.box_around(latitude, longitude, self.radius_km, prefix=prefix)
        return boxes

    @property
    def summary(self) -> str:
        """Where the offers it sees are, to complete "les dons situés …"."""
        if self.kind == AreaKind.DEPARTMENTS:
            names = ", ".join(label for _pk, label in self.departments)
            if len(self.departments) > 1:
                return _("dans les départements de vos ateliers : %(names)s") % {"names": names}
            return _("dans le département de votre atelier : %(names)s") % {"names": names}
        if len(self.centres) > 1:
            text = _("à moins de %(km)s km de l'un de vos ateliers (%(where)s)")
        else:
            text = _("à moins de %(km)s km de votre atelier (%(where)s)")
        return text % {"km": self.radius_km, "where": self.where}

    @property
    def description(self) -> str:
        if not self.is_known:
            return _(
                "Nous ne savons pas où se trouve votre atelier : vous ne voyez aucun don. "
                "Indiquez la commune de votre structure, ou ajoutez votre atelier à l'annuaire "
                "comme lieu de reconditionnement."
            )
        return _("Vous voyez les dons situés %(summary)s.") % {"summary": self.summary}


def service_area(organisation) -> Area:
    """Its declared service area, or the default (80 km around its workshop)."""
    # Read afresh: a cached relation could predate a change made in this request.
    declared = ServiceArea.objects.filter(organisation=organisation).first()
    places = _workshops(organisation)
    commune = organisation.commune
    if places:
        centres = tuple((p.latitude, p.longitude) for p in places)
        where = " ; ".join(f"{p.name}, {p.commune_name}" for p in places)
        departments = {p.commune.department for p in places if p.commune_id}
    else:
        point = _commune_point(commune)
        centres = (point,) if point else ()
        where = commune.name if commune else ""
        departments = set()
    if not departments and commune is not None:
        departments = {commune.department}
    return Area(
        kind=declared.kind if declared else AreaKind.RADIUS,
        radius_km=declared.radius_km if declared else DEFAULT_RADIUS_KM,
        centres=centres,
        where=where,
        departments=tuple(
            (d.pk, f"{d.name} ({d.code})") for d in sorted(departments, key=lambda d: d.code)
        ),
    )


def _refurbisher_organisations():
    ids = Membership.objects.filter(role=Role.REFURBISHER, organisation__isnull=False).values(
        "organisation_id"
    )
    return Organisation.objects.filter(pk__in=ids).select_related("commune__department")


def refurbishers_serving(commune) -> list:
    """The refurbisher organisations whose service area holds ``commune``."""
    return [o for o in _refurbisher_organisations() if service_area(o).covers(commune)]


def _with_distance(items, origin, point_of):
    for item in items:
        point = point_of(item)
        item.distance_km = (
            round(directory.distance_km(*origin, *point), 1) if origin and point else None
        )
    return sorted(items, key=lambda i: (i.distance_km is None, i.distance_km or 0))


def offers_in_area(organisation, *, limit: int = 20):
    """Confirmed offers inside its service area with a lot nobody has accepted yet, nearest
    first."""
    area = service_area(organisation)
    candidates = (
        Offer.objects.filter(confirmed_at__isnull=False, lots__status=LotStatus.PROPOSED)
        .filter(area.prefilter("commune__"))
        .distinct()
        .select_related("commune")
        .prefetch_related("lots")
    )
    offers = []
    for offer in candidates:
        if area.covers(offer.commune):
            distance = area.distance_to(offer.commune)
            offer.distance_km = round(distance, 1) if distance is not None else None
            offers.append(offer)
    offers.sort(key=lambda o: (o.distance_km is None, o.distance_km or 0))
    return offers[:limit]


def lots_of(organisations):
    """The lots these refurbisher structures (one, or a queryset) accepted."""
    if isinstance(organisations, Organisation):
        organisations = [organisations]
    return (
        Lot.objects.filter(refurbisher__in=organisations)
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
    statuses = stock_statuses()
    return [
        {
            "label": DeviceType(code).label,
            "counts": [table[code].get(status, 0) for status in statuses],
            "labelled": [(s.label, table[code].get(s, 0)) for s in statuses],
        }
        for code in DeviceType.values
        if code in table
    ]


def stock_statuses() -> list:
    """The columns of a workshop's stock (a withdrawn lot never reaches a workshop)."""
    return [status for status in LotStatus if status != LotStatus.WITHDRAWN]


def open_requests_near(organisation, *, limit: int = 20):
    requests = list(
        DeviceRequest.objects.filter(status__in=OPEN_REQUEST_STATUSES)
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
    request: DeviceRequest
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


def donor_journey(offer) -> list[dict]:
    """Each lot of the offer, its steps and the associations that agreed to be named."""
    rows = []
    for lot in offer.lots.all():
        receivers = sorted(
            {a.request.organisation.name for a in lot.allocations.all() if a.request.share_name}
        )
        rows.append({"lot": lot, "steps": lot_journey(lot), "receivers": receivers})
    return rows


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
    kinds = directory.actor_kinds()
    for kind in (kinds.COLLECTION, kinds.REFURBISHER):
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
