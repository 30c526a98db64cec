"""A manager's own listings ("Mes fiches")."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from ressourcerie.core.navigation import crumbs

from .. import listings
from .common import PART


@login_required
def my_listings(request):
    structures = listings.managed_listings(request.user)
    return render(
        request,
        "directory/my_listings.html",
        {
            "structures": structures,
            "claims": list(listings.pending_claims_of(request.user)[:20]),
            "crumbs": crumbs(PART, "directory:near", (_("Mes fiches"), None)),
        },
    )
