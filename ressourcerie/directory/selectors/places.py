"""Reads of the directory, shared by the pages, the API and other parts."""

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta

from django.db.models import F, Q
from django.utils import timezone

from ressourcerie.accounts.models import Membership, Role
from ressourcerie.accounts.permissions import organisations_for
from ressourcerie.core.models import Commune, ModerationStatus, OrganisationKind
from ressourcerie.core.territories import Resolution, resolve_commune

from .. import geo, opening_hours
from .. import vocabulary as v
from ..models import Place, PlaceClaim, PlaceEdit

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


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance, the one near-me uses; for the parts that measure their own."""
    return geo.haversine_km(lat1, lon1, lat2, lon2)


def box_around(latitude: float, longitude: float, radius_km: float, *, prefix: str = "") -> Q:
    """A SQL prefilter holding every point within ``radius_km`` (``prefix`` reaches the
    latitude/longitude through a relation, e.g. ``"commune__"``); refine with distance_km."""
    return Q(**geo.bounding_box(latitude, longitude, radius_km).filter_kwargs(prefix))


def published_places():
    return Place.objects.filter(is_published=True)


def place_by_slug_or_id(value: str) -> Place | None:
    queryset = published_places().select_related("commune", "organisation")
    place = queryset.filter(slug=value).first()
    if place is None and value.isdigit():
        place = queryset.filter(pk=int(value)).first()
    return place


def source_identifiers(place) -> list[tuple[str, list[str]]]:
    """``[(identifier, [dataset, ...]), ...]``: each identifier once, with the files that
    carry it (a duplicate merged from another file often keeps the same identifier)."""
    grouped: dict[str, list[str]] = {}
    rows = place.sources.order_by("-is_primary", "pk").values_list("external_id", "dataset")
    for external_id, dataset in rows:
        datasets = grouped.setdefault(external_id.strip(), [])
        if dataset not in datasets:
            datasets.append(dataset)
    return list(grouped.items())


def published_place(pk) -> Place | None:
    """A published place by its number (as a form posts it), or None."""
    if not str(pk or "").isdigit():
        return None
    return published_places().filter(pk=int(pk)).first()


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


def origin_of(commune) -> Origin:
    """Where "near ``commune``" starts: its coordinates, labelled "Angoulême (16)"."""
    return Origin(commune.latitude, commune.longitude, commune.label)


@dataclass
class HonestResult:
    """Places near an origin as a person should read them: those within ``radius_km``; when
    none is, the nearest beyond it (``beyond``), said as such on the page."""

    origin: Origin
    radius_km: int
    places: list = field(default_factory=list)
    beyond: bool = False


def honest_near(
    *, origin: Origin, filters: Filters | None = None, radius_km: int, limit: int = 20
) -> HonestResult:
    """Within the radius first; failing that, the nearest anywhere (up to 1,000 km)."""
    places = near(
        latitude=origin.latitude,
        longitude=origin.longitude,
        filters=filters,
        radius_km=radius_km,
        limit=limit,
    )
    if places:
        return HonestResult(origin=origin, radius_km=radius_km, places=places)
    nearest = near(
        latitude=origin.latitude, longitude=origin.longitude, filters=filters, limit=limit
    )
    return HonestResult(origin=origin, radius_km=radius_km, places=nearest, beyond=bool(nearest))


def count_within(*, origin: Origin, filters: Filters, radius_km: float) -> int:
    """How many places match ``filters`` within ``radius_km`` of ``origin`` (what removing
    a filter would show)."""
    box = geo.bounding_box(origin.latitude, origin.longitude, radius_km)
    rows = filtered_places(filters).filter(**box.filter_kwargs())
    now = timezone.now()
    count = 0
    for lat, lon, hours in rows.values_list("latitude", "longitude", "opening_hours").iterator():
        if geo.haversine_km(origin.latitude, origin.longitude, lat, lon) > radius_km:
            continue
        if filters.open_now and not opening_hours.is_open_now(hours, now):
            continue
        count += 1
    return count


def main_commune(department_code: str):
    """The most populous commune of a department (where "near the association" starts when
    only its department is known), or None."""
    return Commune.objects.filter(department__code=department_code).order_by("-population").first()


def map_list(filters: Filters):
    """The places on the map, by name: the text list under it (paginated by the page)."""
    return (
        filtered_places(filters)
        .exclude(latitude__isnull=True)
        .order_by("name")
        .only("name", "slug", "commune_name")
    )


# --- Freshness ---------------------------------------------------------------------------

# A listing nobody confirmed for a year is flagged to visitors and to the team; its contact
# is asked every six months.
STALE_AFTER = timedelta(days=365)
REMIND_EVERY = timedelta(days=182)


def last_confirmed_at(place) -> datetime:
    """When someone last vouched for the listing: its confirmation, else its source's date,
    else its creation here. The same rule as ``freshness_before`` (kept in step)."""
    if place.confirmed_at:
        return place.confirmed_at
    if place.source_updated_on:
        return datetime.combine(place.source_updated_on, time.min, tzinfo=UTC)
    return place.created_at


def freshness_before(moment: datetime) -> Q:
    """Places last vouched for before ``moment`` (SQL twin of ``last_confirmed_at``)."""
    return (
        Q(confirmed_at__lt=moment)
        | Q(confirmed_at__isnull=True, source_updated_on__lt=moment.date())
        | Q(confirmed_at__isnull=True, source_updated_on__isnull=True, created_at__lt=moment)
    )


def is_stale(place, now: datetime | None = None) -> bool:
    return last_confirmed_at(place) < (now or timezone.now()) - STALE_AFTER


def stale_places(now: datetime | None = None):
    """Published listings unconfirmed for 12 months, the oldest first (staff page)."""
    cutoff = (now or timezone.now()) - STALE_AFTER
    return (
        published_places()
        .filter(freshness_before(cutoff))
        .select_related("organisation")
        .order_by(F("confirmed_at").asc(nulls_first=True), "source_updated_on", "created_at", "pk")
    )


def places_due_for_reminder(now: datetime | None = None):
    """Listings unconfirmed for 6 months whose contact was not asked in the last 6 months."""
    now = now or timezone.now()
    cutoff = now - REMIND_EVERY
    return (
        published_places()
        .filter(freshness_before(cutoff))
        .filter(Q(reminder_sent_at__isnull=True) | Q(reminder_sent_at__lt=cutoff))
        .order_by("pk")
    )


# --- Who answers for a place ------------------------------------------------------------


def editor_emails(place) -> list[str]:
    """Addresses of the editors of the structure that claimed the place (private)."""
    if place.organisation_id is None:
        return []
    return list(
        Membership.objects.filter(
            organisation_id=place.organisation_id, role=Role.EDITOR, user__is_active=True
        )
        .order_by("created_at")
        .values_list("user__email", flat=True)[:5]
    )


def listing_emails(place) -> list[str]:
    return [e for e in (place.emails or []) if isinstance(e, str) and "@" in e]


def contact_emails(place) -> list[str]:
    """Who receives messages and reminders: the editors if claimed, else the listing's
    first published address; empty when the place has no e-mail at all."""
    editors = editor_emails(place)
    if editors:
        return editors
    published = listing_emails(place)
    return published[:1]


def pending_claims():
    return (
        PlaceClaim.objects.filter(status=PlaceClaim.Status.PENDING, method=PlaceClaim.Method.STAFF)
        .select_related("place", "user", "organisation")
        .order_by("created_at")
    )


def pending_claim(pk: int):
    """A claim still awaiting a decision (any method), or None."""
    return (
        PlaceClaim.objects.filter(pk=pk, status=PlaceClaim.Status.PENDING)
        .select_related("place", "user")
        .first()
    )


def decided_claims():
    """Claims already decided, newest first (the team's page lists the recent ones)."""
    return PlaceClaim.objects.exclude(status=PlaceClaim.Status.PENDING).select_related(
        "place", "user"
    )


def support_structures_edited_by(user):
    """The support structures ``user`` edits (a claim may name one of them)."""
    return organisations_for(user, role=Role.EDITOR).filter(kind=OrganisationKind.SUPPORT_STRUCTURE)


def edit_for_review(pk: int):
    """A proposed edit with what its review page shows, or None."""
    return PlaceEdit.objects.select_related("place", "submitted_by").filter(pk=pk).first()


def edit_review_rows(edit) -> list[tuple]:
    """(field label, before, after) for each field the edit changes, as a person reads them."""
    rows = []
    for name, new in edit.changes.items():
        model_field = Place._meta.get_field(name)
        old = edit.previous.get(name, "")
        rows.append((model_field.verbose_name, _shown(model_field, old), _shown(model_field, new)))
    return rows


def _shown(model_field, value) -> str:
    if value in (None, "", []):
        return "—"
    if getattr(model_field, "choices_class", None):
        return ", ".join(v.labels(model_field.choices_class, value))
    if isinstance(value, list):
        return ", ".join(str(x) for x in value)
    if model_field.choices:
        return str(dict(model_field.choices).get(value, value))
    return str(value)


def place_edit(*, place, pk: int):
    """One proposed edit of ``place`` (any status), or None."""
    return place.edits.select_related("place").filter(pk=pk).first()


def pending_edits(place):
    return place.edits.filter(moderation_status=ModerationStatus.SUBMITTED).order_by("created_at")


def actor_kinds():
    """The kinds of actor (``vocabulary.ActorKind``), for parts that look places up by kind."""
    return v.ActorKind


def equipment_kinds():
    """The equipment a place accepts (``vocabulary.Equipment``): the donations' device types."""
    return v.Equipment
