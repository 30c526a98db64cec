"""Query processing: fold, stem, expand synonyms, correct typos, run, page, snippet.

Nothing typed by a visitor reaches an engine's query syntax: the text is folded to words
of ``[a-z0-9]``, and backends.py quotes each one.
"""

import math
import re
from dataclasses import dataclass, field

from django.db.models import Q

from ..models import SearchSynonym, SearchTerm
from . import backends, registry
from .analysis import STOPWORDS, stem, words
from .backends import Alternative

MAX_QUERY_CHARS = 200
MAX_QUERY_WORDS = 10
MAX_CORRECTIONS = 4
MAX_PER_PAGE = 50


@dataclass(frozen=True)
class Hit:
    type: str
    type_label: str
    object_id: str
    title: str
    url: str
    snippet: str
    score: float


@dataclass(frozen=True)
class Facet:
    key: str
    label: str
    count: int


@dataclass
class SearchResults:
    query: str
    items: list[Hit] = field(default_factory=list)
    total: int = 0
    corrected_query: str = ""
    page: int = 1
    per_page: int = 20
    facets: list[Facet] = field(default_factory=list)

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


@dataclass
class ParsedQuery:
    groups: list[list[Alternative]]
    corrected_query: str
    stems: set[str]
    prefixes: set[str]


def clean(text) -> str:
    """The part of a visitor's text we look at: bounded, without control characters."""
    text = str(text or "")[: MAX_QUERY_CHARS * 2]
    text = re.sub(r"[\x00-\x1f\x7f]", " ", text)
    return text[:MAX_QUERY_CHARS].strip()


# --- synonyms (read at query time: a staff edit applies at once, no re-indexing) ---------


def synonym_map() -> tuple[dict[tuple[str, ...], set[tuple[str, ...]]], int]:
    """Stemmed phrase → every equivalent phrase (folded words), and the longest key."""
    mapping: dict[tuple[str, ...], set[tuple[str, ...]]] = {}
    longest = 0
    for term, synonyms in SearchSynonym.objects.values_list("term", "synonyms"):
        group = {tuple(words(p)) for p in [term, *synonyms.split(",")]}
        group = {phrase[:6] for phrase in group if phrase}
        for phrase in group:
            key = tuple(stem(w) for w in phrase)
            mapping.setdefault(key, set()).update(group)
            longest = max(longest, len(key))
    return mapping, longest


# --- typo tolerance ---------------------------------------------------------------------

_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def max_distance(word: str) -> int:
    if len(word) < 4 or word.isdigit():
        return 0
    return 1 if len(word) < 8 else 2


def edits1(word: str) -> set[str]:
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = [a + b[1:] for a, b in splits if b]
    transposes = [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1]
    replaces = [a + c + b[1:] for a, b in splits if b for c in _LETTERS]
    inserts = [a + c + b for a, b in splits for c in _LETTERS]
    return set(deletes + transposes + replaces + inserts) - {word}


def distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance, giving up (limit + 1) beyond ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2 = None
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if (
                previous2 is not None
                and i > 1
                and j > 1
                and a[i - 1] == b[j - 2]
                and a[i - 2] == b[j - 1]
            ):
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def correct(word: str) -> str | None:
    """The closest indexed word to an unknown word, or None."""
    limit = max_distance(word)
    if not limit:
        return None
    candidates = list(
        SearchTerm.objects.filter(term__in=edits1(word)).values_list("term", "document_frequency")
    )
    best = None
    if candidates:
        best = min(candidates, key=lambda c: (-c[1], c[0]))[0]
    elif limit > 1:
        # Distance 2 on long words: same first two letters and a close length.
        scored = []
        for term, frequency in SearchTerm.objects.filter(
            initial=word[0],
            length__gte=len(word) - 2,
            length__lte=len(word) + 2,
            term__startswith=word[:2],
        ).values_list("term", "document_frequency")[:5000]:
            d = distance(word, term, 2)
            if d <= 2:
                scored.append((d, -frequency, term))
        if scored:
            best = min(scored)[2]
    return best


def _known(tokens: list[str], last_prefix: str | None) -> set[str]:
    """The tokens the index or the synonyms already know (exactly, by stem or as prefix)."""
    if not tokens:
        return set()
    stems = {stem(t) for t in tokens}
    known_terms, known_stems = set(), set()
    for term, term_stem in SearchTerm.objects.filter(
        Q(term__in=tokens) | Q(stem__in=stems)
    ).values_list("term", "stem"):
        known_terms.add(term)
        known_stems.add(term_stem)
    known = {t for t in tokens if t in known_terms or stem(t) in known_stems}
    if (
        last_prefix
        and last_prefix not in known
        and SearchTerm.objects.filter(term__startswith=last_prefix).exists()
    ):
        known.add(last_prefix)
    return known


def _joined_known(tokens: list[str]) -> set[str]:
    """The adjacent pairs of words that, written together, are an indexed word."""
    pairs = {
        a + b
        for a, b in zip(tokens, tokens[1:], strict=False)
        if a not in STOPWORDS and b not in STOPWORDS and len(a + b) <= 60
    }
    if not pairs:
        return set()
    return set(SearchTerm.objects.filter(term__in=pairs).values_list("term", flat=True))


MAX_COMPLETIONS = 12


def completions(prefix: str) -> list[str]:
    """The most frequent indexed words starting with a prefix."""
    if len(prefix) < 3:
        return []
    return list(
        SearchTerm.objects.filter(
            initial=prefix[0], length__gte=len(prefix), term__startswith=prefix
        )
        .order_by("-document_frequency", "term")
        .values_list("term", flat=True)[:MAX_COMPLETIONS]
    )


def _display(term: str) -> str:
    row = SearchTerm.objects.filter(term=term).values_list("display", flat=True).first()
    return row or term


# --- parsing ----------------------------------------------------------------------------


def parse(text: str) -> ParsedQuery:
    """Turn a visitor's text into groups of alternatives (AND of ORs) for the backends."""
    tokens = words(clean(text))[:MAX_QUERY_WORDS]
    empty = ParsedQuery(groups=[], corrected_query="", stems=set(), prefixes=set())
    if not tokens:
        return empty
    synonyms, longest = synonym_map()

    # Two words that the index knows as one ("libre office", "next cloud", "word press").
    joined = _joined_known(tokens)

    # 1. Cut the text into units: a phrase with synonyms, two words written as one known
    # word, or one word.
    units: list[tuple[tuple[str, ...], set[tuple[str, ...]]]] = []
    i = 0
    while i < len(tokens):
        for n in range(min(longest, len(tokens) - i), 0, -1):
            key = tuple(stem(w) for w in tokens[i : i + n])
            if key in synonyms:
                units.append((tuple(tokens[i : i + n]), synonyms[key]))
                i += n
                break
        else:
            pair = tuple(tokens[i : i + 2])
            if len(pair) == 2 and "".join(pair) in joined:
                units.append((pair, {pair, ("".join(pair),)}))
                i += 2
            else:
                units.append(((tokens[i],), set()))
                i += 1

    searchable = [u for u in units if len(u[0]) > 1 or u[1] or u[0][0] not in STOPWORDS]
    if not searchable:
        return empty
    last_unit = searchable[-1]
    last_word = last_unit[0][0] if len(last_unit[0]) == 1 and not last_unit[1] else None
    prefix = last_word if last_word and len(last_word) >= 3 and not last_word.isdigit() else None

    # 2. Typo correction of the single words nobody knows.
    singles = [u[0][0] for u in searchable if len(u[0]) == 1 and not u[1]]
    known = _known(singles, prefix)
    corrections: dict[str, str] = {}
    for word in singles:
        if word in known or word in corrections or len(corrections) >= MAX_CORRECTIONS:
            continue
        fixed = correct(word)
        if fixed:
            corrections[word] = fixed

    # 3. Groups of alternatives.
    groups: list[list[Alternative]] = []
    stems: set[str] = set()
    for phrase, equivalents in searchable:
        alternatives = {Alternative(phrase)}
        alternatives.update(Alternative(p) for p in equivalents)
        if len(phrase) == 1 and phrase[0] in corrections:
            fixed = corrections[phrase[0]]
            alternatives.add(Alternative((fixed,)))
            alternatives.update(Alternative(p) for p in synonyms.get((stem(fixed),), ()))
        if phrase == (prefix,):
            alternatives.add(Alternative((prefix,), prefix=True))
            # Stems can be shorter than what was typed ("événem" vs "even"): complete the
            # prefix from the vocabulary too.
            alternatives.update(Alternative((w,)) for w in completions(prefix))
        for alternative in alternatives:
            if not alternative.prefix:
                stems.update(stem(w) for w in alternative.words)
        groups.append(sorted(alternatives, key=lambda a: (a.prefix, a.words)))

    corrected = ""
    if corrections:
        corrected = " ".join(_display(corrections[t]) if t in corrections else t for t in tokens)
    return ParsedQuery(
        groups=groups,
        corrected_query=corrected,
        stems=stems,
        prefixes={prefix} if prefix else set(),
    )


# --- snippets ---------------------------------------------------------------------------

SNIPPET_WORDS = 30


def snippet(body: str, parsed: ParsedQuery) -> str:
    """A short extract of the body around the first matching word."""
    body_words = (body or "").split()
    if not body_words:
        return ""
    position = 0
    for index, raw in enumerate(body_words[:2000]):
        folded = words(raw)
        if any(
            stem(w) in parsed.stems or any(w.startswith(p) for p in parsed.prefixes) for w in folded
        ):
            position = index
            break
    start = max(0, position - 8)
    extract = " ".join(body_words[start : start + SNIPPET_WORDS])
    if len(extract) > 240:
        extract = extract[:240].rsplit(" ", 1)[0]
    prefix = "… " if start > 0 else ""
    suffix = " …" if start + SNIPPET_WORDS < len(body_words) or len(extract) >= 235 else ""
    return prefix + extract + suffix


# --- running ----------------------------------------------------------------------------


def _no_nul(value) -> str:
    # PostgreSQL text cannot hold NUL; such a value can match nothing anyway.
    return str(value).replace("\x00", "")


def _clean_filters(filters) -> list[tuple[str, list[str]]]:
    cleaned = []
    for name, value in (filters or {}).items():
        values = value if isinstance(value, list | tuple | set | frozenset) else [value]
        values = sorted({_no_nul(v)[:100] for v in values if v not in (None, "")})[:50]
        if values:
            cleaned.append((_no_nul(name)[:40], values))
    return cleaned


def _without(mapping: dict, key: str) -> dict:
    return {k: v for k, v in mapping.items() if k != key}


def _alt_key(alternative):
    return (alternative.prefix, alternative.words)


def find(
    text,
    *,
    types: list[str] | str | None = None,
    filters: dict | None = None,
    page: int = 1,
    per_page: int = 20,
    match_any: bool = False,
    facets: bool = True,
    snippets: bool = True,
) -> SearchResults:
    """Search every registered type (or some), with optional filter values, one page.

    By default every word must match; ``match_any`` accepts documents matching any word
    (ranked by how well they match), for sentences whose words do not all appear.
    ``facets=False`` skips the per-type counts (one pass over the index instead of two) and
    ``snippets=False`` the extracts, for callers that only need the ranked objects."""
    query = clean(text)
    per_page = max(1, min(int(per_page), MAX_PER_PAGE))
    results = SearchResults(query=query, per_page=per_page)
    parsed = parse(query)
    if match_any and len(parsed.groups) > 1:
        parsed.groups = [sorted({a for group in parsed.groups for a in group}, key=_alt_key)]
    results.corrected_query = parsed.corrected_query
    if not parsed.groups:
        return results

    registered = {t.key: t for t in registry.types()}
    if isinstance(types, str):
        types = [types]
    wanted = [t for t in (types or registered) if t in registered]
    if not wanted:
        return results
    cleaned_filters = _clean_filters(filters)

    try:
        page = min(max(1, int(page)), 1_000_000)
    except (TypeError, ValueError, OverflowError):
        page = 1
    fetch_args = {
        "types": wanted,
        "filters": cleaned_filters,
        # "libre office" is the title LibreOffice too.
        "exact_titles": [" ".join(words(query)), "".join(words(query))],
        "limit": per_page,
        "with_body": snippets,
    }
    if facets:
        rows, counts = backends.fetch_with_counts(
            parsed.groups, offset=(page - 1) * per_page, **_without(fetch_args, "with_body")
        )
        results.facets = [
            Facet(key=t.key, label=str(t.label), count=counts[t.key])
            for t in registry.types()
            if counts.get(t.key)
        ]
        results.total = sum(counts.get(key, 0) for key in wanted)
        results.page = min(page, results.num_pages)
        if not results.total:
            return results
        if results.page != page:
            # Past the last page: show the last one, as the counts now tell which it is.
            rows, _counts = backends.fetch_with_counts(
                parsed.groups,
                offset=(results.page - 1) * per_page,
                **_without(fetch_args, "with_body"),
            )
    else:
        rows, results.total = backends.fetch(
            parsed.groups, offset=(page - 1) * per_page, with_total=True, **fetch_args
        )
        if not rows and page > 1:
            # Past the last page: count, then show the last page, as with facets.
            _rows, results.total = backends.fetch(
                parsed.groups, offset=0, with_total=True, **{**fetch_args, "limit": 1}
            )
            page = results.num_pages
            if results.total:
                rows, results.total = backends.fetch(
                    parsed.groups, offset=(page - 1) * per_page, with_total=True, **fetch_args
                )
        results.page = min(page, results.num_pages)
    results.items = [
        Hit(
            type=row.type,
            type_label=str(registered[row.type].label),
            object_id=row.object_id,
            title=row.title,
            url=row.url,
            snippet=snippet(row.body, parsed) if snippets else "",
            score=float(row.score),
        )
        for row in rows
    ]
    return results
