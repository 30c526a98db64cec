"""Testimonials shown inside other parts' pages (tool page, organisation page) without
those parts importing this app: ``{% load testimonials_tags %}{% testimonials_for_tool tool %}``."""

from django import template

from .. import selectors

register = template.Library()

LIMIT = 6


@register.inclusion_tag("testimonials/_for_tool.html")
def testimonials_for_tool(tool):
    return {"tool": tool, "testimonials": selectors.testimonials_for_tool(tool, limit=LIMIT)}


@register.inclusion_tag("testimonials/_for_organisation.html")
def testimonials_for_organisation(organisation):
    return {
        "organisation": organisation,
        "testimonials": selectors.testimonials_for_organisation(organisation, limit=LIMIT),
    }
