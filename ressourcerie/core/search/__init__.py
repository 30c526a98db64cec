"""Site-wide search. Later parts register their content here; see registry.SearchableType.

    from ressourcerie.core import search

    search.register(search.SearchableType(key="tool", label=_("Outils"), model=Tool,
        document=lambda tool: search.SearchDocumentData(title=tool.name, body=...),
        queryset=lambda: Tool.objects.filter(status="published")))
    search.index_object(tool)     # from the app's services, after each write
    search.remove_object(tool)
    search.find("visio", types=["tool"], filters={"need": "reunions"}, page=2)

The engines' differences stay in backends.py; ``manage.py rebuild_search_index`` rebuilds
everything.
"""

from .indexer import index_document, index_object, rebuild, remove_document, remove_object
from .query import Facet, Hit, SearchResults, find
from .registry import SearchableType, SearchDocumentData, get, types
from .signals import register, unregister

__all__ = [
    "Facet",
    "Hit",
    "SearchDocumentData",
    "SearchResults",
    "SearchableType",
    "find",
    "get",
    "index_document",
    "index_object",
    "rebuild",
    "register",
    "remove_document",
    "remove_object",
    "types",
    "unregister",
]
