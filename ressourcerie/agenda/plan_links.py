"""What the agenda adds under the actions of the diagnostic's « Mon plan d'action »
(registered in ``registrations.py`` through ``diagnostic.selectors.register_plan_source``):

- ``upcoming``: published events to come that serve the action, near the association (within
  ``NEAR_KM`` of its commune, or in its department) or online — a few per action;
- ``followed``: the events serving the action where people registered on behalf of the
  association were marked present — « Atelier « … » suivi le 12/01/2027 par 1 membre ».

They only add lines: the action's status changes only when a member marks it.
"""

from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ressourcerie.diagnostic.selectors import PlanLink
from ressourcerie.directory import selectors as directory

from . import selectors
from .models import Attendance, AttendanceMode, Kind, Registration, Status

NEAR_KM = 60
PER_ACTION = 3
LINK_FIELDS = (
    "pk",
    "title",
    "kind",
    "starts_at",
    "attendance_mode",
    "status",
    "department_code",
    "commune__name",
    "organiser__name",
)


def _where(event) -> str:
    if event.online_only or event.status == Status.MOVED_ONLINE:
        return _("en ligne")
    if event.commune_id:
        return f"{event.commune.name} ({event.department_code})"
    return event.department_code


def upcoming_for_plan(place, keys, *, now=None) -> dict[str, list[PlanLink]]:
    """One query: the events near the association (or online) joined to the actions of the
    plan they serve (the (key, event) index), numbered per action soonest first, the first
    ``PER_ACTION`` of each kept."""
    near = ~Q(attendance_mode=AttendanceMode.IN_PERSON)
    if place.department_code:
        near |= Q(department_code=place.department_code)
    if place.latitude is not None and place.longitude is not None:
        near |= directory.box_around(place.latitude, place.longitude, NEAR_KM)
    events = (
        selectors.upcoming_events(now)
        .exclude(status=Status.CANCELLED)
        .filter(near, served_actions__key__in=keys)
        .annotate(
            action=F("served_actions__key"),
            rank=Window(
                RowNumber(),
                partition_by=F("served_actions__key"),
                order_by=(F("starts_at").asc(), F("pk").asc()),
            ),
        )
        .filter(rank__lte=PER_ACTION)
        .select_related("organiser", "commune")
        .only(*LINK_FIELDS)
        .order_by("starts_at", "pk")
    )
    kinds = {value: str(label) for value, label in Kind.choices}
    found: dict[str, list[PlanLink]] = {}
    links: dict[int, PlanLink] = {}
    for event in events:
        if event.pk not in links:
            when = formats.date_format(timezone.localtime(event.starts_at), "j F Y à H:i")
            links[event.pk] = PlanLink(
                title=event.title,
                url=event.get_absolute_url(),
                text=f"{kinds.get(event.kind, '')} · {when} · {_where(event)} · "
                f"{event.organiser.name}",
            )
        found.setdefault(event.action, []).append(links[event.pk])
    return found


def followed_for_plan(place, keys) -> dict[str, list[PlanLink]]:
    organisation = place.organisation
    if organisation is None or not keys:
        return {}
    # One row per (event, action of the plan it serves), with the members present.
    rows = (
        Registration.objects.filter(
            organisation=organisation,
            attendance=Attendance.PRESENT,
            event__served_actions__key__in=keys,
        )
        .values(
            "event_id",
            "event__title",
            "event__kind",
            "event__starts_at",
            "event__served_actions__key",
        )
        .annotate(present=Count("id"))
        .order_by("event__starts_at", "event_id", "event__served_actions__key")
    )
    found: dict[str, list[PlanLink]] = {}
    for row in rows:
        kind = Kind(row["event__kind"]).label if row["event__kind"] in Kind.values else ""
        text = ngettext(
            "%(kind)s « %(title)s » suivi le %(date)s par %(n)s membre",
            "%(kind)s « %(title)s » suivi le %(date)s par %(n)s membres",
            row["present"],
        ) % {
            "kind": kind,
            "title": row["event__title"],
            "date": formats.date_format(timezone.localtime(row["event__starts_at"]), "d/m/Y"),
            "n": row["present"],
        }
        link = PlanLink(
            text=text.strip(),
            url=reverse("agenda:event", args=[row["event_id"]]),
            title=row["event__title"],
        )
        found.setdefault(row["event__served_actions__key"], []).append(link)
    return found
