"""Every URL pattern of the URL conf, read from the resolver (not from a hand list)."""

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

ADMIN_PREFIX = "gestion/admin/"
ADMIN_KEY = "admin:*"


@dataclass(frozen=True)
class Route:
    key: str  # the namespaced URL name, or the route itself for an unnamed pattern
    route: str  # the pattern as written, prefixes included
    callback: object
    is_api_operation: bool  # a django-ninja operation: covered through the OpenAPI document
    is_admin: bool  # the Django admin: one row for all of it


def _walk(patterns, prefix="", namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), namespace, pattern


def routes() -> list[Route]:
    found = []
    for route, namespace, pattern in _walk(get_resolver().url_patterns):
        callback = pattern.callback
        if pattern.name:
            key = f"{namespace}:{pattern.name}" if namespace else pattern.name
        else:
            key = route
        found.append(
            Route(
                key=key,
                route=route,
                callback=callback,
                is_api_operation=getattr(callback, "__module__", "").startswith("ninja."),
                is_admin=route.startswith(ADMIN_PREFIX),
            )
        )
    return found


def openapi_route(route: str) -> str:
    """``api/v1/places/<ident>`` → ``/api/v1/places/{ident}`` (the OpenAPI spelling)."""
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)


def view_function(callback):
    """The Python function behind a URL pattern's callback (unwrapping decorators and
    class-based views' ``as_view``), for reading its source."""
    view_class = getattr(callback, "view_class", None)
    if view_class is not None:
        return view_class
    seen = set()
    while hasattr(callback, "__wrapped__") and id(callback) not in seen:
        seen.add(id(callback))
        callback = callback.__wrapped__
    return callback
