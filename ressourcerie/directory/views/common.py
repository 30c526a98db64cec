"""What every page of the directory shares: the part's breadcrumb root, a place by its slug."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _

from .. import selectors

PART = _("Annuaire et carte des acteurs")


def place_or_404(slug):
    """The place at its canonical address (an old slug or a number: 404 on these pages)."""
    place = selectors.place_by_slug_or_id(slug)
    if place is None or place.slug != slug:
        raise Http404
    return place
