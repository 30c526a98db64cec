"""``{% upcoming_events_at place %}``: the directory's place page lists its next events
(one include line there; the agenda owns what it shows)."""

from django import template

from .. import selectors

register = template.Library()


@register.inclusion_tag("agenda/_upcoming.html")
def upcoming_events_at(place):
    return {"events": selectors.events_at_place(place)}
