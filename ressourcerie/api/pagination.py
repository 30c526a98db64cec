"""The pagination every list of the API follows: ``?page=`` (from 1) and ``?page_size=``
(1 to 100), answered as ``{"count", "next", "previous", "results"}``."""

from collections.abc import Callable, Sequence
from typing import Annotated, Generic, TypeVar

from django.core.paginator import Paginator
from django.utils.translation import gettext as _
from ninja import Query, Schema

from .errors import ApiError

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20

T = TypeVar("T")

PageNumber = Annotated[int, Query(ge=1, le=1_000_000, description="Numéro de page, à partir de 1.")]
PageSize = Annotated[
    int,
    Query(
        ge=1,
        le=MAX_PAGE_SIZE,
        description=f"Nombre de résultats par page (1 à {MAX_PAGE_SIZE}).",
    ),
]


class Page(Schema, Generic[T]):
    count: int
    next: str | None
    previous: str | None
    results: list[T]


def _page_url(request, number: int) -> str:
    query = request.GET.copy()
    query["page"] = str(number)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def paginate(
    request,
    items: Sequence,
    *,
    page: int,
    page_size: int,
    serialize: Callable = lambda item: item,
) -> dict:
    """One page of ``items`` (a queryset with a stable ordering, or a list) as the envelope."""
    paginator = Paginator(items, page_size)
    if page > max(paginator.num_pages, 1):
        raise ApiError(
            404,
            _("Cette page de résultats n'existe pas."),
            code="page_not_found",
            details={"pages": paginator.num_pages},
        )
    current = paginator.page(page)
    return {
        "count": paginator.count,
        "next": _page_url(request, page + 1) if current.has_next() else None,
        "previous": _page_url(request, page - 1) if current.has_previous() else None,
        "results": [serialize(item) for item in current.object_list],
    }


def whole_list(items: Sequence, *, serialize: Callable = lambda item: item) -> dict:
    """A short reference list (regions, departments) in the same envelope, on one page."""
    results = [serialize(item) for item in items]
    return {"count": len(results), "next": None, "previous": None, "results": results}
