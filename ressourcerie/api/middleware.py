"""Everything under /api/ answers in JSON, and public reads are open to other sites (CORS).

The v1 API's exception handlers cover its endpoints; this catches the rest: unknown paths,
methods not allowed, CSRF refusals, crashes in other middleware or in the docs page.
"""

import logging

from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpResponse

from .errors import error_response

logger = logging.getLogger("ressourcerie.api")

API_PREFIX = "/api/"
PUBLIC_METHODS = ("GET", "HEAD")


class ApiMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        if request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
            response = self._preflight()
        else:
            response = self.get_response(request)
            response = self._as_json(response)
        if request.method in PUBLIC_METHODS or request.method == "OPTIONS":
            # Any web page may read public data; no cookie is ever honoured cross-site.
            response["Access-Control-Allow-Origin"] = "*"
        return response

    def process_exception(self, request, exception):
        if not request.path.startswith(API_PREFIX):
            return None
        if isinstance(exception, Http404):
            return error_response(404)
        if isinstance(exception, PermissionDenied):
            return error_response(403)
        if isinstance(exception, BadRequest | SuspiciousOperation):
            return error_response(400)
        logger.exception("API error on %s %s", request.method, request.path)
        return error_response(500)

    @staticmethod
    def _preflight():
        response = HttpResponse(status=204)
        response["Access-Control-Allow-Methods"] = ", ".join(PUBLIC_METHODS)
        response["Access-Control-Max-Age"] = "86400"
        return response

    @staticmethod
    def _as_json(response):
        content_type = response.get("Content-Type", "")
        if response.status_code < 400 or content_type.startswith("application/json"):
            return response
        converted = error_response(response.status_code)
        for header in ("Allow", "Retry-After", "WWW-Authenticate"):
            if header in response:
                converted[header] = response[header]
        return converted
