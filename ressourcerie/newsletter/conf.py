"""Newsletter settings, read late so tests and the bench can override them."""

from django.conf import settings

WORDING_VERSION = "2025-01"  # bump when the consent wording on the form changes
CONFIRMATION_DAYS = 7


def get(name: str):
    return getattr(settings, f"NEWSLETTER_{name}")
