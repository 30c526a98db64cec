import re

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from .. import french, listings, permissions

register = template.Library()

_FRENCH = re.compile(r"^\+33(\d{9})$")


@register.filter
def phone_display(value: str) -> str:
    """``+33545932222`` -> ``05 45 93 22 22`` (how people read and dial it in France)."""
    match = _FRENCH.match(value or "")
    if not match:
        return value
    digits = "0" + match.group(1)
    return " ".join(digits[i : i + 2] for i in range(0, 10, 2))


@register.filter(name="de")
def de_filter(value) -> str:
    """``{{ "Angoulême (16)"|de }}`` → ``d'Angoulême (16)`` (see ``directory.french``)."""
    prefix, rest = french.de_parts(str(value))
    return mark_safe(prefix + conditional_escape(rest))  # noqa: S308 - prefix is ours, rest escaped


@register.inclusion_tag("directory/_organisation_listings.html", takes_context=True)
def directory_listings_for(context, organisation):
    """On a support structure's page: how many listings it manages, and for its editors the
    way to "Mes fiches". ``{% directory_listings_for organisation %}``."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "count": listings.managed_place_count(organisation),
        "is_editor": bool(user) and permissions.is_structure_editor(user, organisation),
        "organisation": organisation,
    }
