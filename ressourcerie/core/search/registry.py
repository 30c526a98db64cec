"""The content types the site search knows. Apps register theirs (``search.register``) from\ntheir ``registrations.py``."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models


@dataclass(frozen=True)
class SearchDocumentData:
    """What one object gives the index.

    ``title`` weighs most, then ``keywords``, then ``body``. ``boost`` multiplies the score
    (e.g. 1.2 for a curated guide). ``filters`` maps a filter name to one value or a list
    (``{"need": ["compta", "visio"], "department": "44"}``); values are compared as strings.
    """

    title: str
    body: str = ""
    keywords: str | Iterable[str] = ""
    url: str = ""
    boost: float = 1.0
    filters: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class SearchableType:
    """A registered content type: how to find its published objects and describe each one.

    ``document(obj)`` returns a SearchDocumentData (or None: leave the object out).
    ``queryset()`` returns the objects that may be found (published ones only).
    ``url(obj)`` is used when the document gives no url.
    ``auto_index`` connects post_save/post_delete signals, for models written from several
    places (admin included); otherwise the app's services call index_object/remove_object.
    """

    key: str
    label: str
    model: type[models.Model]
    document: Callable[[Any], SearchDocumentData | None]
    queryset: Callable[[], models.QuerySet]
    url: Callable[[Any], str] | None = None
    order: int = 100
    auto_index: bool = False


_types: dict[str, SearchableType] = {}


def add(searchable: SearchableType) -> SearchableType | None:
    """Record (or replace) a type; returns the one it replaced. Use ``search.register``, which
    also connects the signals of an ``auto_index`` type (``signals.register``)."""
    if not searchable.key or len(searchable.key) > 40:
        raise ValueError("A searchable type needs a key of 1 to 40 characters.")
    previous = _types.get(searchable.key)
    _types[searchable.key] = searchable
    return previous


def remove(key: str) -> SearchableType | None:
    return _types.pop(key, None)


def get(key: str) -> SearchableType | None:
    return _types.get(key)


def types() -> list[SearchableType]:
    return sorted(_types.values(), key=lambda t: (t.order, t.label))


def for_model(model: type[models.Model]) -> SearchableType | None:
    for searchable in _types.values():
        if searchable.model is model or (
            searchable.model._meta.concrete_model is model._meta.concrete_model
        ):
            return searchable
    return None
