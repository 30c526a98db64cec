"""Agenda endpoints of the public API: upcoming published events, with the list's filters."""

from typing import Annotated

from django.conf import settings
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import BeforeValidator

from ressourcerie.api import geo, v1

from . import ics, selectors
from .models import Kind

router = Router(tags=["Agenda"])
NEAR_LIMIT = 500  # events near a position, nearest first (20 pages of 25)

EmptyIsNone = BeforeValidator(lambda value: value or None)


class SessionOut(Schema):
    start: str
    end: str


class EventOut(Schema):
    id: int
    title: str
    kind: str
    url: str
    ics_url: str
    status: str
    attendance_mode: str
    start: str
    end: str
    sessions: list[SessionOut]
    location: str
    department: str
    latitude: float | None
    longitude: float | None
    organiser: str
    themes: list[str]
    plan_actions: list[str]
    audience: list[str]
    level: str
    free: bool
    price_eur: float
    capacity: int | None
    remaining: int | None
    distance_km: float | None = None


class EventDetailOut(EventOut):
    description: str
    accessibility: str
    registration_mode: str


def event_to_dict(event, *, remaining=None, sessions=None) -> dict:
    sessions = sessions if sessions is not None else list(event.sessions.all())
    return {
        "id": event.pk,
        "title": event.title,
        "kind": event.kind,
        "url": f"{settings.SITE_URL}{event.get_absolute_url()}",
        "ics_url": f"{settings.SITE_URL}/agenda/{event.pk}.ics",
        "status": event.status,
        "attendance_mode": event.attendance_mode,
        "start": event.starts_at.isoformat(),
        "end": event.ends_at.isoformat(),
        "sessions": [
            {"start": s.starts_at.isoformat(), "end": s.ends_at.isoformat()} for s in sessions
        ],
        "location": ics.location_of(event),
        "department": event.department_code,
        "latitude": event.latitude,
        "longitude": event.longitude,
        "organiser": event.organiser.name,
        "themes": event.code_list("themes"),
        "plan_actions": event.plan_action_keys,
        "audience": event.code_list("audience"),
        "level": event.level,
        "free": event.is_free,
        "price_eur": event.price_cents / 100,
        "capacity": event.capacity,
        "remaining": remaining,
        "distance_km": getattr(event, "distance_km", None),
    }


EXAMPLE = {
    "id": 12,
    "title": "Atelier : tenir ses comptes avec un logiciel libre",
    "kind": "atelier",
    "url": "https://ressourcerie.example.org/agenda/12/",
    "ics_url": "https://ressourcerie.example.org/agenda/12.ics",
    "status": "programme",
    "attendance_mode": "presentiel",
    "start": "2027-01-14T14:00:00+01:00",
    "end": "2027-01-21T17:00:00+01:00",
    "sessions": [
        {"start": "2027-01-14T14:00:00+01:00", "end": "2027-01-14T17:00:00+01:00"},
        {"start": "2027-01-21T14:00:00+01:00", "end": "2027-01-21T17:00:00+01:00"},
    ],
    "location": "Espace numérique, 1 place du Champ de Mars, 16000 Angoulême",
    "department": "16",
    "latitude": 45.6484,
    "longitude": 0.1562,
    "organiser": "Numérique en Charente",
    "themes": ["comptabilite"],
    "plan_actions": ["gestion-comptable"],
    "audience": ["benevoles"],
    "level": "debutant",
    "free": True,
    "price_eur": 0.0,
    "capacity": 12,
    "remaining": 4,
    "distance_km": None,
}


@router.get(
    "/events",
    response=v1.Page[EventOut],
    summary="Les prochains événements",
    description=(
        "Événements publiés à venir, le plus proche dans le temps d'abord ; avec `lat` et "
        "`lon`, ceux à moins de `radius_km` (50 par défaut), le plus proche d'abord ; avec "
        "`plan_action`, ceux qui aident à réaliser cette action du plan d'action. Les "
        "places restantes (`remaining`) sont calculées, `null` sans limite."
    ),
    openapi_extra=v1.example(
        path="/api/v1/events?department=16&kind=atelier",
        errors=[422],  # lat without lon, or lon without lat
        response={"count": 1, "next": None, "previous": None, "results": [EXAMPLE]},
    ),
)
def list_events(
    request,
    department: Annotated[
        str | None,
        EmptyIsNone,
        Query(None, max_length=3, pattern=r"^([0-9AB]{2,3})?$", description="Département."),
    ] = None,
    theme: Annotated[
        str | None,
        EmptyIsNone,
        Query(None, max_length=80, pattern=r"^([-a-z0-9]+)?$", description="Thème (besoin)."),
    ] = None,
    kind: Annotated[Kind | None, EmptyIsNone, Query(None, description="Type.")] = None,
    plan_action: Annotated[
        str | None,
        EmptyIsNone,
        Query(
            None,
            max_length=60,
            pattern=r"^([-a-zA-Z0-9_]+)?$",
            description=(
                "Action du plan d'action de l'autodiagnostic que l'événement aide à réaliser "
                "(une clé de `plan_actions`)."
            ),
            example="gestion-comptable",
        ),
    ] = None,
    online: Annotated[bool, Query(False, description="En ligne ou mixte seulement.")] = False,
    lat: geo.Latitude = None,
    lon: geo.Longitude = None,
    radius_km: geo.RadiusKm = None,
    page: v1.PageNumber = 1,
    page_size: v1.PageSize = 20,
):
    geo.require_pair(lat, lon)
    filters = selectors.Filters(
        department=department or "",
        theme=theme or "",
        kind=kind or "",
        plan_action=plan_action or "",
        online=online,
        latitude=lat,
        longitude=lon,
        radius_km=radius_km or selectors.NEAR_RADIUS_KM,
    )
    if lat is None:
        events = selectors.IdsFirst(selectors.filtered_queryset(filters))
    else:
        events = selectors.filtered_events(filters, limit=NEAR_LIMIT).events
    return v1.paginate(
        request,
        selectors.WithDetails(events),
        page=page,
        page_size=page_size,
        serialize=lambda e: event_to_dict(e, remaining=e.remaining),
    )


@router.get(
    "/events/{event_id}",
    response=EventDetailOut,
    summary="Un événement",
    description="Un événement publié, avec ses séances.",
    openapi_extra=v1.example(
        path="/api/v1/events/12",
        response={
            **EXAMPLE,
            "description": "Deux après-midi pour passer sa comptabilité sur un logiciel libre.",
            "accessibility": "Salle de plain-pied.",
            "registration_mode": "ouverte",
        },
        errors=[404],
    ),
)
def get_event(request, event_id: int):
    event = selectors.event_for_page(event_id)
    if event is None or not selectors.is_public(event):
        raise v1.ApiError(404, _("Aucun événement publié n'a ce numéro."))
    return {
        **event_to_dict(event, remaining=selectors.remaining_seats(event)),
        "description": event.description,
        "accessibility": event.accessibility,
        "registration_mode": event.registration_mode,
    }


v1.add_router("/", router)
