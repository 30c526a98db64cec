"""The directory's one API router (``places`` and ``edits`` add their endpoints to it)."""

from ninja import Router

router = Router(tags=["Annuaire des acteurs"])
# Operation ids were named after the single ``directory/api.py`` module: kept, so that the
# OpenAPI document (and the clients generated from it) does not change with the split.
OPERATION_PREFIX = "ressourcerie_directory_api_"
