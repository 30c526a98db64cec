from django.conf import settings

from . import navigation


def site(request):
    return {
        "SITE_NAME": settings.SITE_NAME,
        "nav_parts": navigation.parts(),
        "current_part": navigation.current_part_key(request),
    }
