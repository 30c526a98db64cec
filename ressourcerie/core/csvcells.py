"""Cells for the open-data CSV exports: plain text, never a spreadsheet formula."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """A value as CSV text: booleans as oui/non, lists joined by "|", and a leading
    = + - @ (CSV injection) neutralised by a quote."""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, list):
        value = "|".join(str(v) for v in value)
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text
