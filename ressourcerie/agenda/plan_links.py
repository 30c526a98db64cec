"""What the agenda adds under the actions of the diagnostic's « Mon plan d'action »
(registered in ``registrations.py`` through ``diagnostic.selectors.register_plan_source``):

- ``upcoming``: published events to come that serve the action, near the association (within
  ``NEAR_KM`` of its commune, or in its department) or online — a few per action;
- ``followed``: the events serving the action where people registered on behalf of the
  association were marked present — « Atelier « … » suivi le 12/01/2027 par 1 membre ».

They only add lines: the action's status changes only when a member marks it.
"""

from django.db.models import Count, Q
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
# Events read at most for one plan (ten actions, three each, soonest first).
READ_AT_MOST = 60
LINK_FIELDS = (
    "pk",
    "title",
    "kind",
    "starts_at",
    "plan_actions",
    "attendance_mode",
    "status",
    "department_code",
    "commune__name",
    "organiser__name",
)


def _serves_any(keys, prefix: str = "") -> Q:
    query = Q()
    for key in keys:
        query |= Q(**{f"{prefix}plan_actions__contains": f",{key},"})
    return query


def _where(event) -> str:
    if event.online_only or event.status == Status.MOVED_ONLINE:
        return _("en ligne")
    if event.commune_id:
        return f"{event.commune.name} ({event.department_code})"
    return event.department_code


def upcoming_for_plan(place, keys, *, now=None) -> dict[str, list[PlanLink]]:
    near = ~Q(attendance_mode=AttendanceMode.IN_PERSON)
    if place.department_code:
        near |= Q(department_code=place.department_code)
    if place.latitude is not None and place.longitude is not None:
        near |= directory.box_around(place.latitude, place.longitude, NEAR_KM)
    events = (
        selectors.upcoming_events(now)
        .exclude(status=Status.CANCELLED)
        .filter(_serves_any(keys))
        .filter(near)
        .select_related("organiser", "commune")
        .only(*LINK_FIELDS)[:READ_AT_MOST]
    )
    wanted = set(keys)
    kinds = {value: str(label) for value, label in Kind.choices}
    found: dict[str, list[PlanLink]] = {key: [] for key in wanted}
    for event in events:
        # Links are made only for the events shown (a few per action): labels and dates
        # cost more than the rows.
        under = [
            key
            for key in event.code_list("plan_actions")
            if key in wanted and len(found[key]) < PER_ACTION
        ]
        if not under:
            continue
        when = formats.date_format(timezone.localtime(event.starts_at), "j F Y à H:i")
        kind = kinds.get(event.kind, "")
        link = PlanLink(
            title=event.title,
            url=event.get_absolute_url(),
            text=f"{kind} · {when} · {_where(event)} · {event.organiser.name}",
        )
        for key in under:
            found[key].append(link)
        if all(len(links) >= PER_ACTION for links in found.values()):
            break
    return {key: links for key, links in found.items() if links}


def followed_for_plan(place, keys) -> dict[str, list[PlanLink]]:
    organisation = place.organisation
    if organisation is None or not keys:
        return {}
    rows = (
        Registration.objects.filter(
            _serves_any(keys, "event__"),
            organisation=organisation,
            attendance=Attendance.PRESENT,
        )
        .values(
            "event_id", "event__title", "event__kind", "event__starts_at", "event__plan_actions"
        )
        .annotate(present=Count("id"))
        .order_by("event__starts_at", "event_id")
    )
    wanted = set(keys)
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
        for key in row["event__plan_actions"].split(","):
            if key in wanted:
                found.setdefault(key, []).append(link)
    return found
