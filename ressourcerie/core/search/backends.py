"""The one place where SQLite FTS5 and PostgreSQL full-text search differ.

Both engines receive the same parsed query (query.Group list) and return the same rows.

- SQLite: an external-content FTS5 table ``core_search_fts`` over the folded, stemmed
  ``*_shadow`` columns of core_searchentry (tokenizer ``unicode61 remove_diacritics 2``),
  kept in sync by triggers; ranked with bm25 weighted title 10 > keywords 5 > body 1.
- PostgreSQL: a generated ``vector`` column (title A, keywords B, body C) built with the
  ``fr_unaccent`` configuration (french with unaccent before french_stem), a GIN index;
  ranked with ts_rank (ts_rank_cd, by cover density, ranked the toolbox questions no better
  and cost a quarter more on broad questions).

Only words matching ``[a-z0-9]+`` ever reach an engine's query syntax, and each one is
quoted (SQLite) or is a bare lexeme (PostgreSQL), so no user input can form an operator.
"""

import re
from dataclasses import dataclass

from django.db import connection

from .analysis import stem

_SAFE_WORD = re.compile(r"^[a-z0-9]{1,40}$")

# Exact title matches first, whatever the engine's score scale.
EXACT_TITLE_BONUS = 1000.0


@dataclass(frozen=True)
class Alternative:
    """One way to satisfy a group: a word, a phrase of words, or a word prefix."""

    words: tuple[str, ...]
    prefix: bool = False


SQLITE_SCHEMA = [
    """CREATE VIRTUAL TABLE IF NOT EXISTS core_search_fts USING fts5(
        title_shadow, keywords_shadow, body_shadow,
        content='core_searchentry', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER IF NOT EXISTS core_searchentry_fts_ai AFTER INSERT ON core_searchentry
    BEGIN
        INSERT INTO core_search_fts(rowid, title_shadow, keywords_shadow, body_shadow)
        VALUES (new.id, new.title_shadow, new.keywords_shadow, new.body_shadow);
    END""",
    """CREATE TRIGGER IF NOT EXISTS core_searchentry_fts_ad AFTER DELETE ON core_searchentry
    BEGIN
        INSERT INTO core_search_fts(core_search_fts, rowid, title_shadow, keywords_shadow,
                                    body_shadow)
        VALUES ('delete', old.id, old.title_shadow, old.keywords_shadow, old.body_shadow);
    END""",
    """CREATE TRIGGER IF NOT EXISTS core_searchentry_fts_au AFTER UPDATE ON core_searchentry
    BEGIN
        INSERT INTO core_search_fts(core_search_fts, rowid, title_shadow, keywords_shadow,
                                    body_shadow)
        VALUES ('delete', old.id, old.title_shadow, old.keywords_shadow, old.body_shadow);
        INSERT INTO core_search_fts(rowid, title_shadow, keywords_shadow, body_shadow)
        VALUES (new.id, new.title_shadow, new.keywords_shadow, new.body_shadow);
    END""",
]


def vendor() -> str:
    return connection.vendor


def ensure_schema(using_connection=None) -> None:
    """Recreate what a table rebuild may have dropped (SQLite triggers). Idempotent."""
    conn = using_connection or connection
    if conn.vendor != "sqlite":
        return
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='core_searchentry'")
        if cursor.fetchone() is None:
            return
        for statement in SQLITE_SCHEMA:
            cursor.execute(statement)


def rebuild_engine_index() -> None:
    """Make the engine index match core_searchentry exactly (after a bulk load)."""
    if vendor() == "sqlite":
        ensure_schema()
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO core_search_fts(core_search_fts) VALUES ('rebuild')")
    # PostgreSQL: the vector is a generated column, always current.


def _safe(words) -> list[str]:
    return [w for w in words if _SAFE_WORD.match(w)]


def render_sqlite(groups: list[list[Alternative]]) -> str:
    parts = []
    for group in groups:
        options = []
        for alternative in group:
            words = _safe(alternative.words)
            if not words:
                continue
            if alternative.prefix:
                # Prefix on the folded word itself: "compta"* finds "comptabilit".
                options.append(f'"{words[0]}"*')
            else:
                options.append('"' + " ".join(stem(w) for w in words) + '"')
        if options:
            parts.append("(" + " OR ".join(options) + ")")
    return " AND ".join(parts)


def render_postgresql(groups: list[list[Alternative]]) -> str:
    parts = []
    for group in groups:
        options = []
        for alternative in group:
            words = _safe(alternative.words)
            if not words:
                continue
            if alternative.prefix:
                options.append(f"{words[0]}:*")
            else:
                options.append(" <-> ".join(words))
        if options:
            parts.append("(" + " | ".join(f"({o})" for o in options) + ")")
    return " & ".join(parts)


@dataclass(frozen=True)
class Row:
    entry_id: int
    type: str
    object_id: str
    title: str
    url: str
    body: str
    score: float


def _where(types, filters):
    sql, params = [], []
    if types:
        sql.append("e.type IN (" + ", ".join(["%s"] * len(types)) + ")")
        params.extend(types)
    for name, values in filters:
        sql.append(
            "e.id IN (SELECT f.entry_id FROM core_searchfilter f WHERE f.name = %s"  # noqa: S608
            " AND f.value IN (" + ", ".join(["%s"] * len(values)) + "))"
        )
        params.append(name)
        params.extend(values)
    return "".join(" AND " + s for s in sql), params


def _source(groups):
    """FROM + match condition + score expression and their params, per engine."""
    if vendor() == "postgresql":
        expression = render_postgresql(groups)
        return (
            "core_searchentry e, to_tsquery('fr_unaccent', %s) q",
            "e.vector @@ q",
            "ts_rank('{0.1, 0.2, 0.5, 1.0}', e.vector, q) * e.boost",
            [expression],
            expression,
        )
    expression = render_sqlite(groups)
    return (
        "core_search_fts JOIN core_searchentry e ON e.id = core_search_fts.rowid",
        "core_search_fts MATCH %s",
        "(-bm25(core_search_fts, 10.0, 5.0, 1.0)) * e.boost",
        [expression],
        expression,
    )


def count_by_type(groups, *, filters) -> dict[str, int]:
    """How many entries match, per type (the page's facets)."""
    from_sql, match_sql, _score, params, expression = _source(groups)
    if not expression:
        return {}
    where_sql, where_params = _where([], filters)
    # Only constant fragments are formatted in; every value is a parameter.
    sql = f"SELECT e.type, COUNT(*) FROM {from_sql} WHERE {match_sql}{where_sql} GROUP BY e.type"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params + where_params)
        return dict(cursor.fetchall())


def fetch(
    groups, *, types, filters, exact_titles, limit, offset, with_total=False, with_body=True
) -> list[Row] | tuple[list[Row], int]:
    """One page of matching entries, best first; a title equal to one of ``exact_titles``
    (folded) comes before everything else.

    ``with_total`` also counts every match in the same pass (a window count), for callers
    that need no per-type facets: one scan of the index instead of two. Without
    ``with_body`` the rows carry an empty body (no snippet wanted): less to carry around."""
    from_sql, match_sql, score_sql, params, expression = _source(groups)
    if not expression:
        return ([], 0) if with_total else []
    where_sql, where_params = _where(types, filters)
    body_sql = "e.body" if with_body else "'' AS body"
    # Constant fragments only; every value is a parameter.
    sql = (
        f"SELECT e.id, e.type, e.object_id, e.title, e.url, {body_sql}, "  # noqa: S608
        f"{score_sql} + CASE WHEN e.title_folded IN (%s, %s) THEN {EXACT_TITLE_BONUS} ELSE 0 END "
        f"AS score FROM {from_sql} WHERE {match_sql}{where_sql}"
    )
    if with_total:
        # FTS5 refuses bm25() beside a window function: count around the scored rows.
        sql = f"SELECT m.*, COUNT(*) OVER () AS total FROM ({sql}) m"  # noqa: S608
        sql += " ORDER BY m.score DESC, m.id LIMIT %s OFFSET %s"
    else:
        sql += " ORDER BY score DESC, e.id LIMIT %s OFFSET %s"
    # Params in SQL order: the SELECT list's titles, then FROM (PostgreSQL) or WHERE (SQLite).
    spaced, joined = (list(exact_titles) * 2)[:2]
    all_params = [spaced, joined, *params, *where_params, limit, offset]
    with connection.cursor() as cursor:
        cursor.execute(sql, all_params)
        fetched = cursor.fetchall()
    if not with_total:
        return [Row(*row) for row in fetched]
    total = fetched[0][-1] if fetched else 0
    return [Row(*row[:-1]) for row in fetched], total


def fetch_with_counts(
    groups, *, types, filters, exact_titles, limit, offset
) -> tuple[list[Row], dict[str, int]]:
    """One page of ``types`` best first, and the per-type counts over every type (facets).

    PostgreSQL: one statement, so the index is matched once (the match is most of the cost
    of a broad question). SQLite: the two queries, FTS5 being fast at both."""
    if vendor() != "postgresql":
        counts = count_by_type(groups, filters=filters)
        if not counts:
            return [], {}
        rows = fetch(
            groups,
            types=types,
            filters=filters,
            exact_titles=exact_titles,
            limit=limit,
            offset=offset,
        )
        return rows, counts
    from_sql, match_sql, score_sql, params, expression = _source(groups)
    if not expression:
        return [], {}
    where_sql, where_params = _where([], filters)
    type_marks = ", ".join(["%s"] * len(types))
    # Constant fragments only; every value is a parameter.
    sql = (
        f"WITH m AS MATERIALIZED (SELECT e.id, e.type, {score_sql} + "  # noqa: S608
        f"CASE WHEN e.title_folded IN (%s, %s) THEN {EXACT_TITLE_BONUS} ELSE 0 END AS score "
        f"FROM {from_sql} WHERE {match_sql}{where_sql}), "
        f"top AS (SELECT id, score FROM m WHERE type IN ({type_marks}) "
        f"ORDER BY score DESC, id LIMIT %s OFFSET %s) "
        f"SELECT (SELECT COALESCE(json_object_agg(type, n), '{{}}') "
        f"FROM (SELECT type, COUNT(*) AS n FROM m GROUP BY type) c), "
        f"(SELECT COALESCE(json_agg(json_build_array(e.id, e.type, e.object_id, e.title, "
        f"e.url, e.body, top.score) ORDER BY top.score DESC, top.id), '[]') "
        f"FROM top JOIN core_searchentry e ON e.id = top.id)"
    )
    spaced, joined = (list(exact_titles) * 2)[:2]
    all_params = [spaced, joined, *params, *where_params, *types, limit, offset]
    with connection.cursor() as cursor:
        cursor.execute(sql, all_params)
        counts, rows = cursor.fetchone()
    return [Row(*row) for row in rows], {key: int(n) for key, n in counts.items()}
