"""Reads of the agenda, shared by the pages, the feeds, the API and other parts."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Q, prefetch_related_objects
from django.utils import timezone

from ressourcerie.core.tokens import hash_token
from ressourcerie.directory import selectors as directory
from ressourcerie.toolbox import selectors as toolbox

from . import plan_actions
from .models import (
    HOLDS_SEAT,
    LIVE,
    Attendance,
    AttendanceMode,
    CalendarKey,
    Event,
    Kind,
    Publication,
    Registration,
    RegistrationMode,
    RegistrationStatus,
    Session,
)

NEAR_RADIUS_KM = 50
# Lists and feeds read these of the related rows (a place row is wide: JSON columns).
EVENT_FIELDS = tuple(f.name for f in Event._meta.concrete_fields)
RELATED_FIELDS = (
    "organiser__name",
    "organiser__slug",
    "commune__name",
    "commune__insee",
    "place__name",
    "place__slug",
    "place__address",
    "place__postal_code",
    "place__commune_name",
)


@dataclass
class Filters:
    department: str = ""
    theme: str = ""
    kind: str = ""
    plan_action: str = ""  # a diagnostic plan action key the events serve
    online: bool = False
    near: str = ""  # a commune or postal code
    latitude: float | None = None
    longitude: float | None = None
    radius_km: float = NEAR_RADIUS_KM

    def is_empty(self) -> bool:
        return not (
            self.department
            or self.theme
            or self.kind
            or self.plan_action
            or self.online
            or self.near
        )


def published_events():
    """Published events listed publicly: reserved ones are reached by their members only."""
    return Event.objects.filter(publication=Publication.PUBLISHED).exclude(
        registration_mode=RegistrationMode.RESERVED
    )


def upcoming_events(now=None):
    """Published events not over yet, soonest first (cancelled ones stay listed, marked)."""
    return published_events().filter(ends_at__gte=now or timezone.now()).order_by("starts_at", "pk")


@dataclass
class Listing:
    events: list
    origin: object = None  # directory Origin when "near" was asked
    unresolved: bool = False  # "near" did not designate a commune


def listing_rows():
    """The rows a list shows, by primary key (no filter: the ids were chosen already)."""
    return Event.objects.select_related("organiser", "commune", "place").only(
        *EVENT_FIELDS, *RELATED_FIELDS
    )


def filtered_queryset(filters: Filters, *, now=None):
    """Upcoming published events matching the filters other than "near", soonest first."""
    queryset = (
        upcoming_events(now)
        .select_related("organiser", "commune", "place")
        .only(*EVENT_FIELDS, *RELATED_FIELDS)
    )
    if filters.department:
        queryset = queryset.filter(department_code=filters.department)
    if filters.theme:
        queryset = queryset.filter(themes__contains=f",{filters.theme},")
    if filters.kind in Kind.values:
        queryset = queryset.filter(kind=filters.kind)
    if filters.plan_action:
        queryset = queryset.filter(plan_actions.serves(filters.plan_action))
    if filters.online:
        queryset = queryset.exclude(attendance_mode=AttendanceMode.IN_PERSON)
    return queryset


def filtered_events(filters: Filters, *, now=None, limit: int | None = 200) -> Listing:
    """Upcoming published events matching the filters; near a place, nearest first."""
    queryset = filtered_queryset(filters, now=now)
    origin = None
    if filters.latitude is not None and filters.longitude is not None:
        origin = directory.Origin(filters.latitude, filters.longitude, "votre position")
    elif filters.near:
        origin, _resolution = directory.locate(filters.near)
        if origin is None:
            return Listing(events=[], unresolved=True)
    if origin is None:
        ids = IdsFirst(queryset)
        return Listing(events=ids[:limit] if limit else ids[:])
    box = directory.box_around(origin.latitude, origin.longitude, filters.radius_km)
    scored = []
    rows = queryset.filter(box).values_list("pk", "latitude", "longitude", "starts_at")
    for pk, latitude, longitude, starts_at in rows:
        distance = directory.distance_km(origin.latitude, origin.longitude, latitude, longitude)
        if distance <= filters.radius_km:
            scored.append((distance, starts_at, pk))
    scored.sort()
    scored = scored[:limit] if limit else scored
    return Listing(events=NearEvents(queryset, scored), origin=origin)


class IdsFirst(Sequence):
    """A list's events for Paginator: the count and the page's ids from the narrow index
    (``agenda_event_listing`` covers every filter), then only the page's rows with their
    joins — sorting thousands of joined wide rows for 20 of them was the lists' cost."""

    def __init__(self, queryset):
        self.queryset = queryset

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1 or None][0]
        ids = list(self.queryset.values_list("pk", flat=True)[index])
        by_pk = listing_rows().in_bulk(ids)
        return [by_pk[pk] for pk in ids]

    def __iter__(self):
        return iter(self[:])


class NearEvents(Sequence):
    """Events nearest first, loaded only for the slice asked (a page), each with
    ``distance_km``: scoring needs the coordinates of every candidate, not their rows."""

    def __init__(self, queryset, scored: list[tuple]):
        self.queryset, self.scored = queryset, scored

    def __len__(self):
        return len(self.scored)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1 or None][0]
        chunk = self.scored[index]
        by_pk = listing_rows().in_bulk([pk for _d, _s, pk in chunk])
        events = []
        for distance, _starts, pk in chunk:
            event = by_pk[pk]
            event.distance_km = round(distance, 1)
            events.append(event)
        return events

    def __iter__(self):
        return iter(self[:])


class WithDetails(Sequence):
    """A list's events (``IdsFirst``, ``NearEvents``) for the API: each page's events come
    with their sessions and plan actions prefetched and ``remaining`` (seats left) set, in
    three queries for the page instead of three per event."""

    def __init__(self, events):
        self.events = events

    def __len__(self):
        return len(self.events)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1 or None][0]
        events = list(self.events[index])
        prefetch_related_objects(events, "sessions", "served_actions")
        for event, remaining in zip(events, remaining_seats_of(events), strict=True):
            event.remaining = remaining
        return events

    def __iter__(self):
        return iter(self[:])


def remaining_seats_of(events) -> list[int | None]:
    """``remaining_seats`` of each event, the whole-series seats of all in one query."""
    whole = [e.pk for e in events if e.capacity is not None and not e.per_session]
    # "No session" is counted, not filtered: as a WHERE condition it matches nearly every
    # row and SQLite then read the registrations by (session, status), not (event, status).
    held = (
        Registration.objects.filter(event_id__in=whole, status__in=HOLDS_SEAT)
        .order_by()
        .values("event_id")
        .annotate(n=Count("pk", filter=Q(session=None)))
    )
    taken = {row["event_id"]: row["n"] for row in held} if whole else {}
    return [
        remaining_seats(e)
        if e.per_session and e.capacity is not None
        else (None if e.capacity is None else max(e.capacity - taken.get(e.pk, 0), 0))
        for e in events
    ]


def nearest_elsewhere(filters: Filters, *, now=None, limit: int = 5) -> list:
    """The empty state's proposals: online events, then the soonest anywhere."""
    online = list(
        upcoming_events(now)
        .exclude(attendance_mode=AttendanceMode.IN_PERSON)
        .select_related("organiser")[:limit]
    )
    if len(online) >= limit:
        return online
    others = upcoming_events(now).exclude(pk__in=[e.pk for e in online]).select_related("organiser")
    return online + list(others[: limit - len(online)])


def upcoming_by_ids(ids, *, now=None) -> list:
    """The events of ``ids`` (kept by another part, e.g. a fund cohort's reserved sessions)
    not over yet, soonest first; the caller decides who sees them."""
    ids = list(ids)
    if not ids:
        return []
    return list(
        Event.objects.filter(pk__in=ids, ends_at__gte=now or timezone.now())
        .select_related("commune")
        .order_by("starts_at", "pk")
    )


def events_with_attendance(ids) -> list:
    """The events of ``ids`` (kept by another part, e.g. a fund cohort's planned sessions),
    past ones included, soonest first, each with ``attendance``: the organisation ids its
    registrations were made for → the attendance the organisers marked (« present » wins
    over « absent » or « excuse »; an unmarked registration is left out)."""
    events = list(
        Event.objects.filter(pk__in=list(ids)).select_related("commune").order_by("starts_at", "pk")
    )
    marks: dict[int, dict[int, str]] = {event.pk: {} for event in events}
    for event_id, organisation_id, attendance in (
        Registration.objects.filter(event_id__in=marks, organisation__isnull=False)
        .exclude(attendance="")
        .values_list("event_id", "organisation_id", "attendance")
    ):
        known = marks[event_id].get(organisation_id)
        if known != Attendance.PRESENT:
            marks[event_id][organisation_id] = attendance
    for event in events:
        event.attendance = marks[event.pk]
    return events


def event_for_page(pk) -> Event | None:
    return (
        Event.objects.select_related("organiser", "commune", "commune__department", "place")
        .prefetch_related("sessions", "co_organisers", "served_actions")
        .filter(pk=pk)
        .first()
    )


def _scope(event, session):
    """The registrations that share seats: the series' (no session), or one session's."""
    return event.registrations.filter(session=session)


def seats_taken(event, session=None) -> int:
    return _scope(event, session).filter(status__in=HOLDS_SEAT).count()


def remaining_seats(event, session=None) -> int | None:
    """None when the event has no limit (the capacity is per session when registering
    per session)."""
    if event.capacity is None:
        return None
    if session is None and event.per_session:  # the seats left in the sessions to come
        held = event.registrations.filter(status__in=HOLDS_SEAT).order_by().values("session")
        taken = dict(held.annotate(n=Count("pk")).values_list("session", "n"))
        upcoming = event.sessions.filter(starts_at__gt=timezone.now()).values_list("pk", flat=True)
        return sum(max(event.capacity - taken.get(pk, 0), 0) for pk in upcoming)
    return max(event.capacity - seats_taken(event, session), 0)


def is_full(event, session=None) -> bool:
    remaining = remaining_seats(event, session)
    return remaining is not None and remaining == 0


def waiting_count(event, session=None) -> int:
    return _scope(event, session).filter(status=RegistrationStatus.WAITING).count()


def first_waiting(event, session=None) -> Registration | None:
    return (
        _scope(event, session)
        .filter(status=RegistrationStatus.WAITING)
        .order_by("waiting_since", "pk")
        .first()
    )


def live_registration(event, *, user=None, email: str = "", session=None) -> Registration | None:
    """The person's registration that still counts (one per person per event, or per
    session when the event registers per session)."""
    query = Q()
    if user is not None and user.is_authenticated:
        query |= Q(user=user)
        email = email or user.email
    if email:
        query |= Q(email__iexact=email.strip())
    if not query:
        return None
    return _scope(event, session).filter(query, status__in=LIVE).order_by("-pk").first()


def withdrawal_deadline(event, session=None):
    starts_at = session.starts_at if session is not None else event.starts_at
    if starts_at is None:
        return None
    return starts_at - timedelta(hours=event.withdrawal_hours)


def sessions_of(registration) -> list:
    """The sessions a registration covers: its own, or the whole series."""
    if registration.session_id is not None:
        return [registration.session]
    return list(registration.event.sessions.all())


def registrations_for_organiser(event):
    return event.registrations.select_related("organisation", "user", "session").order_by(
        "session__starts_at", "status", "waiting_since", "created_at", "pk"
    )


def registrations_of(user):
    """A person's registrations, next events first."""
    return (
        Registration.objects.filter(user=user)
        .select_related("event", "event__organiser", "session")
        .order_by("-event__starts_at", "-pk")
    )


def events_of_structure(organisation, *, now=None):
    return (
        upcoming_events(now)
        .filter(Q(organiser=organisation) | Q(co_organisers=organisation))
        .distinct()
    )


def events_at_place(place, *, now=None, limit: int = 5) -> list:
    return list(upcoming_events(now).filter(place_id=place.pk).select_related("organiser")[:limit])


def editable_events(user, structures):
    """Events a person manages: those of their structures (every publication state)."""
    return (
        Event.objects.filter(organiser__in=structures)
        .annotate(registered=Count("registrations", filter=Q(registrations__status__in=HOLDS_SEAT)))
        .order_by("-starts_at")
    )


def to_moderate():
    return Event.objects.filter(publication=Publication.TO_MODERATE).select_related("organiser")


def sessions_for_feed(events) -> list[tuple]:
    """(event, session) pairs, one VEVENT each, in the events' order."""
    events = list(events)
    by_event: dict[int, list] = {}
    sessions = Session.objects.filter(event__in=[e.pk for e in events]).order_by("starts_at")
    for session in sessions:
        by_event.setdefault(session.event_id, []).append(session)
    return [(event, session) for event in events for session in by_event.get(event.pk, [])]


def calendar_user(raw_token: str):
    key = (
        CalendarKey.objects.select_related("user").filter(token_hash=hash_token(raw_token)).first()
    )
    return key.user if key is not None else None


def theme_choices() -> list[tuple[str, str]]:
    """The catalogue's needs (top level first), as the themes an event may have."""
    choices = []
    for need in toolbox.needs_tree():
        choices.append((need.slug, need.name))
        choices.extend((child.slug, f"{need.name} › {child.name}") for child in need.children.all())
    return choices


def theme_names(codes) -> list[str]:
    names = dict(theme_choices())
    return [names.get(code, code) for code in codes]


def upcoming_for_department(department_code: str, *, now=None, limit: int = 5) -> list:
    queryset = upcoming_events(now).select_related("organiser")
    if department_code:
        queryset = queryset.filter(
            Q(department_code=department_code) | Q(attendance_mode=AttendanceMode.ONLINE)
        )
    return list(queryset[:limit])


def upcoming_near(
    latitude, longitude, *, theme: str = "", radius_km: float = 60, now=None, limit=3
):
    filters = Filters(theme=theme, latitude=latitude, longitude=longitude, radius_km=radius_km)
    return filtered_events(filters, now=now, limit=limit).events


def is_public(event) -> bool:
    """Published and listed (a reserved event is not in the API, feeds nor lists)."""
    return event.publication == Publication.PUBLISHED and not event.is_reserved
