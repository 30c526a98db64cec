"""Public pages served from the shared cache to anonymous visitors (issue #19, docs/performance.md).

**What is cached.** A ``GET`` by a visitor who carries neither a session cookie nor a
messages cookie, outside the team's, the account's and the API's paths, answered ``200``
without setting any cookie (so no CSRF token was asked for, no session was started, no
message was left for this visitor) and without ``Cache-Control: private`` or ``no-store``
(``never_cache`` views and the private links of ``core.secret_links`` send those). A signed-in
visitor never reads nor fills the cache. Nothing personal can therefore be stored: a page
that asked for anything of its visitor set a cookie or sent ``private``.

**When it changes.** Every cached page is stored with the *content version* it was rendered
at, one integer in the database (``ContentVersion``: every worker and every server sees it,
one plain query per page view); a page of an older version is stale. The
version is bumped after the commit of any transaction that wrote (``INSERT``, ``UPDATE``,
``DELETE``) to a table other than those of ``IGNORED_TABLES``: bookkeeping (sessions, the
task queue) and the tables no anonymous page nor recommendation provider reads (a diagnostic's
answers: the rule for adding one is beside the list). The writes are
read from the SQL itself by a wrapper installed on every database connection, so a
``QuerySet.update()``, a management command, an import or the task worker invalidate as a
view does: a moderation decision, an edit or a new testimonial shows on every page at once.
The key also holds the local date (pages that say "à venir" or "cette semaine" change at
midnight) and the code's release (a new deployment renders anew), and entries expire after
``PAGE_CACHE_SECONDS`` whatever happens. ``PAGE_CACHE_SECONDS=0`` turns the cache off (the
default outside production, so that a template being edited shows at once).
"""

from __future__ import annotations

import functools
import hashlib
import logging
import re
import secrets
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.db.backends.signals import connection_created
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import patch_vary_headers

logger = logging.getLogger(__name__)


# Writes to these tables do not change what a public page shows. The rule for adding one: no
# page an anonymous visitor can get (every path outside ``EXCLUDED_PREFIXES``, whether it is
# cached or not) and no recommendation provider (``diagnostic.recommendations``, keyed on the
# same version) ever reads it, directly or through a count, a total or a "complet" badge. The
# test is a grep of the anonymous pages' views, selectors and templates, written down below;
# when in doubt, leave a table out (a needless bump costs a re-render, a missing one shows
# stale content). Tables read by a public page stay out even if most writes to them are
# private: the agenda's registrations (seats left and the waiting list on /agenda/<id>/), the
# fund's applications (its open data).
IGNORED_TABLES = frozenset(
    {
        "django_migrations",
        "django_session",
        "django_tasks_database_dbtaskresult",  # the e-mail and newsletter task queue
        "core_heldaddress",  # addresses held for an e-mail being sent
        "accounts_logincode",  # sign-in codes
        "newsletter_delivery",  # one row per recipient while an edition is sent
        # The diagnostic's responses, answers, scores and kept plans: shown only through the
        # taker's private link (``secret_link``, never cached), to the signed-in association
        # (« Mes diagnostics », « Mon plan d'action ») and to the team (dashboard, aggregates);
        # public pages read only the questionnaire (its questions, its rules' titles on the
        # agenda's events). Without this every answer saved would make every cached page and
        # every plan's resources stale (#14).
        "diagnostic_diagnosticresponse",
        "diagnostic_answer",
        "diagnostic_answer_options",
        "diagnostic_axisscore",
        "diagnostic_planaction",
        "diagnostic_planactiontransition",
    }
)

# Paths never cached (the team's pages, accounts, the API, files).
EXCLUDED_PREFIXES = ("/gestion/", "/compte/", "/api/", "/static/", "/media/")

_WRITE = re.compile(
    r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+["`]?([A-Za-z0-9_]+)', re.IGNORECASE
)


def enabled() -> bool:
    return getattr(settings, "PAGE_CACHE_SECONDS", 0) > 0


def _ignored(table: str) -> bool:
    return (
        table in IGNORED_TABLES
        or table == _VERSION_TABLE
        or table == settings.CACHES["default"].get("LOCATION")
    )


_VERSION_TABLE = "core_contentversion"
_warned = False


# One statement, on both engines (SQLite ≥ 3.24, PostgreSQL ≥ 9.5), whether the row exists
# or not: no transaction of its own (see ``bump_version``).
_UPSERT = (
    f"INSERT INTO {_VERSION_TABLE} (id, value) VALUES (1, %s) "  # noqa: S608 — constant
    "ON CONFLICT (id) DO UPDATE SET value = excluded.value"
)


def current_version() -> int:
    """The content version, read with one plain query (the row is created on first use)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT value FROM {_VERSION_TABLE} WHERE id = 1")  # noqa: S608 — constant
        row = cursor.fetchone()
        if row is None:
            cursor.execute(
                f"INSERT INTO {_VERSION_TABLE} (id, value) VALUES (1, 1) "  # noqa: S608
                "ON CONFLICT (id) DO NOTHING"
            )
            cursor.execute(f"SELECT value FROM {_VERSION_TABLE} WHERE id = 1")  # noqa: S608
            row = cursor.fetchone()
    return row[0]


def bump_version() -> None:
    """The public content changed: every cached page becomes stale at once. One plain
    statement, never a transaction of its own: outside an atomic block it runs from inside the
    write's own ``execute`` (the watcher), while SQLite may still be stepping that statement
    (``INSERT … RETURNING``); a ``get_or_create`` there (its savepoint, its commit) failed with
    "SQL statements in progress" and its rollback took the caller's write with it (a place
    created after a test had flushed the row vanished). Before the table exists (during the
    first migrations) there is no page to serve either: the write that called this must not
    fail for it, so it is only logged (once)."""
    global _warned
    try:
        with connection.cursor() as cursor:
            # A random value, not value + 1: one value is one state of the content, even
            # after a database restore brings an older value back with its older content.
            cursor.execute(_UPSERT, [secrets.randbits(62)])
    except DatabaseError as error:
        if not _warned:
            logger.warning("Page cache: the content version could not be bumped (%s).", error)
            _warned = True


class _Watcher:
    """The execute wrapper of one connection: notes the writes, bumps after commit."""

    def __init__(self, connection):
        self.connection = connection

    def __call__(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if not enabled():
            return result
        match = _WRITE.match(sql) if isinstance(sql, str) else None
        if match and not _ignored(match.group(1)):
            self.changed()
        return result

    def changed(self) -> None:
        connection = self.connection
        if not connection.in_atomic_block:
            bump_version()
            return
        # Once per transaction: a rollback empties run_on_commit, so the next write registers again.
        if not any(item[1] is bump_version for item in connection.run_on_commit):
            connection.on_commit(bump_version)


def _install(sender, connection, **kwargs):
    if not any(isinstance(w, _Watcher) for w in connection.execute_wrappers):
        connection.execute_wrappers.append(_Watcher(connection))


def watch_writes() -> None:
    """Called once from ``CoreConfig.ready()``: every new connection gets the watcher."""
    connection_created.connect(_install, dispatch_uid="pagecache-watch-writes")


def _cacheable_request(request) -> bool:
    if request.method != "GET" or not enabled():
        return False
    if request.path.startswith(EXCLUDED_PREFIXES):
        return False
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def _cacheable_response(response) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    control = response.get("Cache-Control", "")
    return "private" not in control and "no-store" not in control


@functools.cache
def release() -> str:
    """A fingerprint of the code and templates this process runs (paths, sizes, times)."""
    digest = hashlib.sha256()
    for folder in (settings.BASE_DIR / "ressourcerie", settings.BASE_DIR / "templates"):
        for path in sorted(folder.rglob("*")):
            if path.suffix in {".py", ".html", ".txt", ".xml", ".svg"}:
                stat = path.stat()
                digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns};".encode())
    return digest.hexdigest()[:12]


def _key(request) -> str:
    day = timezone.localdate().isoformat()
    return f"page:{release()}:{day}:{request.get_full_path()}"


class _Local:
    """The pages this worker served last (a bounded LRU), so that a hit reads only the
    content version from the shared cache. Entries carry their version: a bump anywhere
    makes them stale here too."""

    def __init__(self, size: int):
        self.size = size
        self.entries: OrderedDict[str, tuple] = OrderedDict()

    def get(self, key: str):
        entry = self.entries.get(key)
        if entry is not None:
            self.entries.move_to_end(key)
        return entry

    def put(self, key: str, entry: tuple) -> None:
        self.entries[key] = entry
        self.entries.move_to_end(key)
        while len(self.entries) > self.size:
            self.entries.popitem(last=False)


_local = _Local(size=200)


def clear_local() -> None:
    """Forget this worker's pages (tests start each from an empty cache)."""
    _local.entries.clear()


def _lifetime(response) -> int:
    """``PAGE_CACHE_SECONDS``, or less when the view asked for it with ``@lifetime(60)``
    (a page that says "Ouvert maintenant"). A hint on the response, not a ``Cache-Control``
    header: browsers and proxies must not keep pages that signed-in visitors also get."""
    seconds = settings.PAGE_CACHE_SECONDS
    asked = getattr(response, "page_cache_seconds", None)
    return seconds if asked is None else min(seconds, asked)


def lifetime(seconds: int):
    """Decorator of a view whose page goes stale with the clock (not with the content)."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            response.page_cache_seconds = seconds
            return response

        return wrapper

    return decorator


def _freeze(response, version: int, seconds: int) -> tuple:
    expires = time.time() + seconds
    return (version, expires, response.status_code, list(response.items()), response.content)


def _fresh(entry, version: int) -> bool:
    return entry is not None and entry[0] == version and entry[1] > time.time()


def _thaw(entry: tuple) -> HttpResponse:
    _version, _expires, status, headers, content = entry
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    response["X-Page-Cache"] = "hit"
    return response


class AnonymousPageCacheMiddleware:
    """See the module's docstring. Placed after the security headers (added to every
    response, cached or not) and before the session, CSRF, auth and messages middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _cacheable_request(request):
            return self.get_response(request)
        key = _key(request)
        version = current_version()
        entry = _local.get(key)
        if not _fresh(entry, version):
            entry = cache.get(key)
            if _fresh(entry, version):
                _local.put(key, entry)
        if _fresh(entry, version):
            return _thaw(entry)
        response = self.get_response(request)
        if _cacheable_response(response):
            if hasattr(response, "render") and callable(response.render):
                response.render()
            patch_vary_headers(response, ["Cookie"])
            seconds = _lifetime(response)
            if seconds <= 0:
                return response
            entry = _freeze(response, version, seconds)
            cache.set(key, entry, timeout=seconds)
            _local.put(key, entry)
            response["X-Page-Cache"] = "miss"
        return response
