"""The platform team's page of the donations part: requests to validate, requests open."""

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from ressourcerie.core.navigation import crumbs
from ressourcerie.core.permissions import team_required

from .. import selectors
from .common import PART


@never_cache
@team_required
def staff_home(request):
    return render(
        request,
        "donations/staff.html",
        {
            "requests": selectors.requests_to_validate(),
            "open_requests": selectors.open_requests(),
            "crumbs": crumbs(PART, "donations:home", (_("Gestion"), None)),
        },
    )
