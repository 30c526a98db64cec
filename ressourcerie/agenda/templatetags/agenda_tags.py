"""The agenda's lists on other parts' pages, one tag line in their template (the agenda owns
what it shows): ``{% upcoming_events_at place %}`` (directory's place page),
``{% upcoming_events_of_structure organisation %}`` (a support structure's page),
``{% upcoming_events_for_need need %}`` and ``{% upcoming_events_for_guide guide %}`` (the
catalogue's need and guide pages, by the event's themes). Nothing is shown when there is
no event to come."""

from django import template
from django.utils.translation import gettext_lazy as _

from .. import listings, selectors

register = template.Library()


@register.inclusion_tag("agenda/_upcoming.html")
def upcoming_events_at(place):
    return {"events": selectors.events_at_place(place)}


@register.inclusion_tag("agenda/_upcoming_elsewhere.html")
def upcoming_events_of_structure(organisation):
    return {
        "events": listings.events_of_structure(organisation),
        "heading": _("Prochains événements de la structure"),
    }


@register.inclusion_tag("agenda/_upcoming_elsewhere.html")
def upcoming_events_for_need(need):
    codes = [need.slug, *(child.slug for child in need.children.all())]
    return {
        "events": listings.events_about(codes),
        "heading": _("Prochains événements sur ce besoin"),
        "theme": need.slug,
    }


@register.inclusion_tag("agenda/_upcoming_elsewhere.html")
def upcoming_events_for_guide(guide):
    return {
        "events": listings.events_about([need.slug for need in guide.needs.all()]),
        "heading": _("Prochains événements sur ce sujet"),
    }
