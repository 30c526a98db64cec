"""Pages reached through a secret link (a token in the address, or in the session that such a
link opened) must never be kept by a browser's cache or a proxy: the next person on a shared
computer would find the page, and the link in it, with the Back button."""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.core.handlers.exception import response_for_exception
from django.http import Http404
from django.utils.cache import add_never_cache_headers


def secret_link(view):
    """``never_cache`` that also covers the 404/403 pages of a wrong or expired link: a view
    that raises ``Http404`` would otherwise answer without the header."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            response = view(request, *args, **kwargs)
        except (Http404, PermissionDenied) as error:
            response = response_for_exception(request, error)
        add_never_cache_headers(response)
        return response

    return wrapper
