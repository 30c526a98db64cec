"""Typed reading of query-string parameters that no form carries (a selected id, a page).

A bad value is treated as absent: the page shows what it shows without that filter, never
an error. Parameters that a person fills in go through a GET form instead."""

import re

_INTEGER = re.compile(r"-?[0-9]{1,18}")


def int_param(query, name: str, *, default=None, min_value=None, max_value=None):
    """The integer ``name`` of ``query`` (``request.GET``), or ``default`` when it is absent,
    not a plain decimal integer (``abc``, ``1e3``, ``NaN``, 30 digits) or out of bounds."""
    raw = query.get(name, "")
    if not isinstance(raw, str) or not _INTEGER.fullmatch(raw.strip()):
        return default
    value = int(raw.strip())
    if (min_value is not None and value < min_value) or (
        max_value is not None and value > max_value
    ):
        return default
    return value
