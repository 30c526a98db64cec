"""/api/v1/: the documentation page, the OpenAPI description, then every part's endpoints.

Each app may hold an ``api.py`` module that mounts its router on ``ressourcerie.api.v1``
(see that module); they are imported here, before the URL patterns are built.
"""

from importlib import import_module

from django.apps import apps
from django.urls import path, re_path
from django.utils.module_loading import module_has_submodule

from . import account, organisations, territories, views  # noqa: F401 - they mount routers
from .v1 import api


def _import_parts_api_modules() -> None:
    for config in apps.get_app_configs():
        is_part = config.name.startswith("ressourcerie.") and config.name != "ressourcerie.api"
        if is_part and module_has_submodule(config.module, "api"):
            import_module(f"{config.name}.api")


_import_parts_api_modules()

app_name = "api"

urlpatterns = [
    path("", views.documentation, name="docs"),
    path("openapi.json", views.openapi, name="openapi"),
    path("documentation/<slug:section>", views.documentation_section, name="docs_section"),
    # Ninja's own root view is replaced by the documentation page above.
    *[p for p in api.urls[0] if getattr(p, "name", None) != "api-root"],
    re_path(r"^(?P<rest>.*)$", views.not_found),
]
