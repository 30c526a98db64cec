from django.conf import settings

from . import navigation
from .permissions import can_moderate


def site(request):
    return {
        "SITE_NAME": settings.SITE_NAME,
        "nav_parts": navigation.parts(),
        "current_part": navigation.current_part_key(request),
        # The platform team (staff, moderators, administrators) sees the "Gestion" link.
        "is_team": can_moderate(getattr(request, "user", None)),
    }
