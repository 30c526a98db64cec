from django.conf import settings

from . import navigation


def site(request):
    return {
        "SITE_NAME": settings.SITE_NAME,
        "nav_parts": navigation.parts(),
    }
