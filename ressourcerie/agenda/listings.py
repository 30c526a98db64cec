"""The upcoming events other parts' pages list (through ``templatetags/agenda_tags.py``, one
include line in their template): a support structure's page (core), a catalogue need's page
and a guide's page (toolbox, by the event's themes), besides the place page (directory)."""

from django.db.models import Q

from . import selectors

LIMIT = 5


def _listed(queryset, limit: int) -> list:
    return list(
        queryset.select_related("organiser", "commune").only(
            *selectors.EVENT_FIELDS, "organiser__name", "commune__name"
        )[:limit]
    )


def events_of_structure(organisation, *, now=None, limit: int = LIMIT) -> list:
    """The structure's next events, as organiser or co-organiser."""
    return _listed(selectors.events_of_structure(organisation, now=now), limit)


def events_about(theme_codes, *, now=None, limit: int = LIMIT) -> list:
    """The next events having one of these themes (catalogue need slugs)."""
    codes = [code for code in theme_codes if code]
    if not codes:
        return []
    query = Q()
    for code in codes:
        query |= Q(themes__contains=f",{code},")
    return _listed(selectors.upcoming_events(now).filter(query), limit)
