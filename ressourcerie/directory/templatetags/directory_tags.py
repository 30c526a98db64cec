import re

from django import template

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
