"""Index maintenance: one SearchEntry per published object, plus the typo vocabulary."""

from collections import Counter
from collections.abc import Iterable

from django.db import transaction
from django.db.models import F

from ..models import SearchEntry, SearchFilter, SearchTerm
from ..text import fold
from . import backends, registry
from .analysis import STOPWORDS, shadow, stem, surface_words
from .registry import SearchableType, SearchDocumentData

MIN_TERM_LENGTH = 3


def vocabulary(*texts: str) -> dict[str, str]:
    """The words worth correcting towards (not stopwords, numbers, tiny), as written."""
    found: dict[str, str] = {}
    for text in texts:
        for word, written in surface_words(text):
            if len(word) >= MIN_TERM_LENGTH and word not in STOPWORDS and not word.isdigit():
                found.setdefault(word[:60], written)
    return found


def _text(value) -> str:
    # PostgreSQL text cannot hold NUL bytes.
    return str(value or "").replace("\x00", "")


def _keywords_text(keywords: str | Iterable[str]) -> str:
    if isinstance(keywords, str):
        return keywords
    return ", ".join(str(k) for k in keywords if k)


def _filter_pairs(filters: dict) -> list[tuple[str, str]]:
    pairs = []
    for name, value in (filters or {}).items():
        values = value if isinstance(value, list | tuple | set | frozenset) else [value]
        for item in values:
            if item is None or item == "":
                continue
            pairs.append((_text(name)[:40], _text(item)[:100]))
    return sorted(set(pairs))


def _entry_fields(data: SearchDocumentData) -> dict:
    keywords = _text(_keywords_text(data.keywords))
    title = _text(data.title).strip()[:300]
    body = _text(data.body)
    sqlite = backends.vendor() == "sqlite"
    return {
        "title": title,
        "keywords": keywords,
        "body": body,
        "url": _text(data.url)[:500],
        "boost": float(data.boost or 1.0),
        "title_folded": fold(title)[:300],
        # The shadows feed SQLite's FTS5 table only. PostgreSQL leaves them empty: stored
        # there they would double the row and push the vector out to TOAST, which made every
        # search scan three times as many pages.
        "title_shadow": shadow(title) if sqlite else "",
        "keywords_shadow": shadow(keywords) if sqlite else "",
        "body_shadow": shadow(body) if sqlite else "",
    }


def _term_rows(terms: dict[str, str]) -> list[SearchTerm]:
    return [
        SearchTerm(
            term=t,
            display=written if fold(written) == t else t,
            stem=stem(t)[:60],
            initial=t[0],
            length=len(t),
            document_frequency=0,
        )
        for t, written in terms.items()
    ]


def _add_terms(terms: dict[str, str]) -> None:
    if not terms:
        return
    SearchTerm.objects.bulk_create(_term_rows(terms), ignore_conflicts=True, batch_size=500)
    SearchTerm.objects.filter(term__in=list(terms)).update(
        document_frequency=F("document_frequency") + 1
    )


def _remove_terms(terms: set[str]) -> None:
    if not terms:
        return
    SearchTerm.objects.filter(term__in=list(terms), document_frequency__gt=0).update(
        document_frequency=F("document_frequency") - 1
    )
    SearchTerm.objects.filter(term__in=list(terms), document_frequency__lte=0).delete()


def _entry_terms(entry: SearchEntry) -> dict[str, str]:
    return vocabulary(entry.title, entry.keywords, entry.body)


@transaction.atomic
def index_document(type_key: str, object_id, data: SearchDocumentData) -> SearchEntry:
    """Write (insert or replace) the entry of one object from its document data."""
    object_id = str(object_id)
    fields = _entry_fields(data)
    fields["filters"] = {}
    pairs = _filter_pairs(data.filters)
    for name, value in pairs:
        fields["filters"].setdefault(name, []).append(value)
    entry = SearchEntry.objects.filter(type=type_key, object_id=object_id).first()
    old_terms = _entry_terms(entry) if entry else {}
    if entry is None:
        entry = SearchEntry.objects.create(type=type_key, object_id=object_id, **fields)
    else:
        for name, value in fields.items():
            setattr(entry, name, value)
        entry.save()
        SearchFilter.objects.filter(entry=entry).delete()
    SearchFilter.objects.bulk_create(
        [SearchFilter(entry=entry, name=name, value=value) for name, value in pairs]
    )
    new_terms = _entry_terms(entry)
    _add_terms({t: w for t, w in new_terms.items() if t not in old_terms})
    _remove_terms(set(old_terms) - set(new_terms))
    return entry


@transaction.atomic
def remove_document(type_key: str, object_id) -> None:
    """Drop the entry of one object, if any."""
    entry = SearchEntry.objects.filter(type=type_key, object_id=str(object_id)).first()
    if entry is None:
        return
    terms = _entry_terms(entry)
    entry.delete()
    _remove_terms(set(terms))


def _document(searchable: SearchableType, obj) -> SearchDocumentData | None:
    data = searchable.document(obj)
    if data is None or not (data.title or "").strip():
        return None
    if not data.url and searchable.url is not None:
        data = SearchDocumentData(
            title=data.title,
            body=data.body,
            keywords=data.keywords,
            url=searchable.url(obj) or "",
            boost=data.boost,
            filters=data.filters,
        )
    return data


def index_object(obj) -> None:
    """Index an object of a registered type, or drop it if it is no longer published."""
    searchable = registry.for_model(type(obj))
    if searchable is None:
        return
    published = searchable.queryset().filter(pk=obj.pk).exists() if obj.pk else False
    data = _document(searchable, obj) if published else None
    if data is None:
        remove_document(searchable.key, obj.pk)
    else:
        index_document(searchable.key, obj.pk, data)


def remove_object(obj) -> None:
    """Drop an object from the index (after deletion, unpublishing…)."""
    searchable = registry.for_model(type(obj))
    if searchable is not None and obj.pk is not None:
        remove_document(searchable.key, obj.pk)


@transaction.atomic
def rebuild(*, types: list[str] | None = None) -> dict[str, int]:
    """Rebuild the entries of every registered type (or some) and the vocabulary."""
    selected = [t for t in registry.types() if types is None or t.key in types]
    keys = [t.key for t in selected]
    stale = (
        SearchEntry.objects.all() if types is None else SearchEntry.objects.filter(type__in=keys)
    )
    stale.delete()
    counts: dict[str, int] = {}
    for searchable in selected:
        batch: list[tuple[SearchEntry, list[tuple[str, str]]]] = []
        counts[searchable.key] = 0
        for obj in searchable.queryset().iterator(chunk_size=500):
            data = _document(searchable, obj)
            if data is None:
                continue
            fields = _entry_fields(data)
            pairs = _filter_pairs(data.filters)
            filters: dict[str, list[str]] = {}
            for name, value in pairs:
                filters.setdefault(name, []).append(value)
            batch.append(
                (
                    SearchEntry(
                        type=searchable.key, object_id=str(obj.pk), filters=filters, **fields
                    ),
                    pairs,
                )
            )
            if len(batch) >= 500:
                counts[searchable.key] += _flush(batch)
                batch = []
        counts[searchable.key] += _flush(batch)
    _rebuild_vocabulary()
    backends.rebuild_engine_index()
    return counts


def _flush(batch) -> int:
    if not batch:
        return 0
    entries = SearchEntry.objects.bulk_create([entry for entry, _pairs in batch])
    if entries and entries[0].pk is None:  # backends that do not return ids
        lookup = dict(
            SearchEntry.objects.filter(
                type=entries[0].type, object_id__in=[e.object_id for e in entries]
            ).values_list("object_id", "pk")
        )
        for entry in entries:
            entry.pk = lookup[entry.object_id]
    SearchFilter.objects.bulk_create(
        [
            SearchFilter(entry=entry, name=name, value=value)
            for entry, (_e, pairs) in zip(entries, batch, strict=True)
            for name, value in pairs
        ],
        batch_size=1000,
    )
    return len(entries)


def _rebuild_vocabulary() -> None:
    SearchTerm.objects.all().delete()
    frequencies: Counter[str] = Counter()
    written: dict[str, str] = {}
    rows_iter = SearchEntry.objects.values_list("title", "keywords", "body").iterator(
        chunk_size=1000
    )
    for title, keywords, body in rows_iter:
        found = vocabulary(title, keywords, body)
        frequencies.update(found.keys())
        for term, form in found.items():
            written.setdefault(term, form)
    rows = _term_rows(written)
    for row in rows:
        row.document_frequency = frequencies[row.term]
    SearchTerm.objects.bulk_create(rows, batch_size=1000)
