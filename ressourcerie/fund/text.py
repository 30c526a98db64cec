"""French figures of the fund: « 5 jours », « 2,5 jours », « 10 000 € »."""

from decimal import Decimal

from django.template.defaultfilters import floatformat
from django.utils.formats import number_format


def days(value) -> str:
    """« 5 » for 5.0, « 2,5 » for 2.5 (no trailing zero)."""
    return str(floatformat(Decimal(value or 0), -1))


def euros(value) -> str:
    """« 10 000 » (grouped with the locale's separator)."""
    return number_format(int(value or 0), force_grouping=True)
