"""Places in the open API: nearest first, filters, the open-data exports (schema v1.0.1)
in ``places``, and the managers' own writes in ``edits``: proposed edits (moderated) and
"toujours à jour". One router, so the OpenAPI document keeps its order."""

from ressourcerie.api import v1

# Each adds its endpoints to the router; ``edits`` imports ``places`` first (their order).
from . import edits, places  # noqa: F401
from .routes import router

v1.add_router("/", router)
