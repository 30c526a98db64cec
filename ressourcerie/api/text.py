import re

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(value: str) -> str:
    """Query text without control characters (PostgreSQL refuses NUL in strings)."""
    return _CONTROL.sub("", value or "").strip()
