"""The API v1: one NinjaAPI that every part extends with its own router.

In ``ressourcerie/<app>/api.py`` (imported automatically by ``ressourcerie.api.urls``)::

    from ninja import Router
    from ressourcerie.api import v1

    router = Router(tags=["Outils"])

    @router.get("/outils", response=v1.Page[ToolOut], summary="Lister les outils",
                openapi_extra=v1.example(path="/api/v1/outils?page=1", response={...}))
    def list_tools(request, page: v1.PageNumber = 1, page_size: v1.PageSize = 20):
        return v1.paginate(request, selectors.published_tools(), page=page,
                           page_size=page_size, serialize=tool_to_dict)

    v1.add_router("/", router)

Writes: ``@router.patch(..., auth=v1.token_auth)``, then ``request.auth.user``.
Errors: ``raise v1.ApiError(403)`` or ``raise v1.FieldErrors({"champ": ["message"]})``;
over a ``core.ratelimit`` limit: ``raise v1.rate_limited(period)`` (429 with Retry-After).
"""

import functools
import logging

from django.conf import settings
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError
from ninja.renderers import JSONRenderer

from ressourcerie.core.errors import DomainError

from . import openapi
from .auth import ApiThrottle, RateLimited, identify, rate_limited, token_auth
from .errors import ApiError, FieldErrors, error_body, field_errors_from_ninja, refusal_body
from .pagination import Page, PageNumber, PageSize, paginate

logger = logging.getLogger("ressourcerie.api")

__all__ = [
    "ApiError",
    "FieldErrors",
    "Page",
    "PageNumber",
    "PageSize",
    "add_router",
    "api",
    "example",
    "paginate",
    "rate_limited",
    "token_auth",
]

DESCRIPTION = (
    "API publique de la Ressourcerie numérique. Lectures libres et sans inscription ; "
    "écritures avec un jeton d'API personnel. Données sous Licence Ouverte 2.0 (Etalab)."
)


class Renderer(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}  # French text stays readable


class Api(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        # Error answers, export content types: filled in for every operation at once.
        document = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return openapi.complete(document)


api = Api(
    renderer=Renderer(),
    title=f"API {settings.SITE_NAME}",
    version="1",
    description=DESCRIPTION,
    # Our own pages serve the description and the documentation (no Swagger UI: too heavy,
    # needs JavaScript and, by default, a CDN).
    openapi_url=None,
    docs_url=None,
    urls_namespace="api",
    throttle=[ApiThrottle()],
    openapi_extra={
        "info": {
            "license": {"name": "Licence Ouverte 2.0 (Etalab)", "identifier": "etalab-2.0"},
        }
    },
)


def _identify_token(run):
    """Before any operation (and its throttle): resolve the request's Bearer token, if any."""

    @functools.wraps(run)
    def run_with_token(request, *args, **kwargs):
        try:
            identify(request)
        except ApiError as exc:  # invalid token (401) or too many of them (429)
            return api.on_exception(request, exc)
        return run(request, *args, **kwargs)

    return run_with_token


api.add_decorator(_identify_token, mode="view")


def add_router(prefix: str, router, **kwargs) -> None:
    """Mount a part's router under /api/v1/<prefix>."""
    api.add_router(prefix, router, **kwargs)


def example(
    *, path: str, response=None, body=None, status: int = 200, errors: tuple | list = ()
) -> dict:
    """openapi_extra for an operation: the documentation page turns it into a curl line and
    a sample response; the response example also lands where OpenAPI tools look for it.

    ``errors``: error statuses this operation answers beyond those every operation documents
    (see ``api.openapi``), e.g. ``[404]`` for a lookup by name that can fail."""
    extra: dict = {"x-example": {"path": path, "body": body, "status": status}}
    if errors:
        extra["x-errors"] = list(errors)
    if response is not None:
        extra["x-example"]["response"] = response
        extra["responses"] = {str(status): {"content": {"application/json": {"example": response}}}}
    return extra


def _json(request, status: int, body: dict):
    return api.create_response(request, body, status=status)


@api.exception_handler(ValidationError)
def _validation_error(request, exc):
    return _json(request, 400, error_body(400, details=field_errors_from_ninja(exc.errors)))


@api.exception_handler(RateLimited)
def _rate_limited(request, exc):
    response = _json(request, 429, error_body(429, details=exc.details))
    response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(ApiError)
def _api_error(request, exc):
    response = _json(
        request,
        exc.status,
        error_body(exc.status, code=exc.code, message=exc.message, details=exc.details),
    )
    if exc.status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


@api.exception_handler(DomainError)
def _refused(request, exc):
    # A service's refusal that the endpoint let through: its French message, never a 500.
    return _json(request, 422, refusal_body(exc))


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    response = _json(request, 401, error_body(401))
    response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


@api.exception_handler(AuthorizationError)
def _forbidden(request, exc):
    return _json(request, 403, error_body(403))


@api.exception_handler(HttpError)
def _http_error(request, exc):
    # Ninja's own HttpErrors (429 from throttles, 400 for an unparsable body) carry English
    # messages: answer with ours. Retry-After is added by ninja after this handler.
    details = None
    if exc.status_code == 400:
        details = {"body": [_("Le corps de la requête n'est pas du JSON valide.")]}
    return _json(request, exc.status_code, error_body(exc.status_code, details=details))


@api.exception_handler(Http404)
def _not_found(request, exc):
    return _json(request, 404, error_body(404))


@api.exception_handler(Exception)
def _server_error(request, exc):
    logger.exception("API error on %s %s", request.method, request.path)
    return _json(request, 500, error_body(500))
