import json

from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from . import docs
from .errors import error_response
from .pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from .v1 import api


def openapi_schema() -> dict:
    return api.get_openapi_schema(path_prefix=reverse("api:docs"))


@require_safe
def openapi(request):
    return JsonResponse(openapi_schema(), json_dumps_params={"ensure_ascii": False, "indent": 1})


def _sections(request) -> list[dict]:
    site = request.build_absolute_uri("/").rstrip("/")
    sections = docs.sections(openapi_schema(), base_url=site)
    for section in sections:
        section["url"] = reverse("api:docs_section", args=[section["anchor"]])
    return sections


@require_safe
def documentation(request):
    context = {
        "crumbs": [(_("API et données ouvertes"), None)],
        "sections": _sections(request),
        "base_url": request.build_absolute_uri(reverse("api:docs")),
        "openapi_url": request.build_absolute_uri(reverse("api:openapi")),
        "default_page_size": DEFAULT_PAGE_SIZE,
        "max_page_size": MAX_PAGE_SIZE,
        "rate_limits": docs.rate_limit_rows(),
        "error_example": json.dumps(
            {
                "error": {
                    "code": "validation_error",
                    "message": "La requête contient des erreurs.",
                    "details": {"website": ["Saisissez une URL valide."]},
                }
            },
            ensure_ascii=False,
            indent=2,
        ),
    }
    return render(request, "api/docs.html", context)


@require_safe
def documentation_section(request, section):
    found = next((s for s in _sections(request) if s["anchor"] == section), None)
    if found is None:
        raise Http404
    crumbs = [(_("API et données ouvertes"), reverse("api:docs")), (found["tag"], None)]
    return render(request, "api/docs_section.html", {"section": found, "crumbs": crumbs})


def not_found(request, rest=""):
    return error_response(404)
