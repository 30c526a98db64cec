"""The browser suite's empty database restored from an image instead of flushed (#19 item 5).

After each test of the live server, pytest-django (Django's ``TransactionTestCase``) empties
the database with ``flush``: a ``DELETE`` per table, then the ``post_migrate`` signal, which
creates every content type and permission again (0.1–0.3 s a test, 46 s of the 164 pages'
721 s in docs/performance.md). Here, on the in-memory SQLite test database, the first test
ends with that real flush, and the database is then copied into an image (SQLite's backup API,
a page-by-page copy); every later test ends by copying the image back. Each test starts from
the very state a flush gives (content types and permissions included, every other table
empty), so nothing changes for a test, except that the content types keep their ids and the
primary keys start again from 1 in every test, as in a new database.

Only for the browser suite (tests/browser/conftest.py installs it for the session), only on
an in-memory SQLite database and a test case without ``available_apps`` or serialized
rollback: anywhere else the real flush runs. ``BROWSER_DB_IMAGE=0`` runs the real flush
everywhere (to compare, docs/performance.md). ``tests/browser/test_harness.py`` checks that a
test's writes do not reach the next test.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from collections import Counter

from django.contrib.contenttypes.models import ContentType
from django.db import DEFAULT_DB_ALIAS, connections
from django.test import TransactionTestCase

STATS: Counter = Counter()  # "flushed" / "restored", for the suite's summary
_image: list[sqlite3.Connection] = []  # the image, once taken (one per process)


def empty() -> sqlite3.Connection | None:
    """The image of the empty database, once the first test has taken it (None before, and
    when the image is not in use: snapshots.py then replays rows instead)."""
    if not _image or os.environ.get("BROWSER_DB_IMAGE") == "0":
        return None
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        return None
    return _image[0]


def _usable(test_case) -> bool:
    if os.environ.get("BROWSER_DB_IMAGE") == "0":
        return False
    if test_case.available_apps is not None or test_case.serialized_rollback:
        return False
    if list(test_case._databases_names(include_mirrors=False)) != [DEFAULT_DB_ALIAS]:
        return False
    connection = connections[DEFAULT_DB_ALIAS]
    return connection.vendor == "sqlite" and connection.is_in_memory_db()


def _restore(connection, attempts: int = 100, pause: float = 0.05) -> None:
    """Copy the image back over the live database. A request the page started just before
    the test ended (the map's GeoJSON over 20,000 places) may still be reading in the live
    server's thread: shared-cache SQLite then answers "table is locked" at once, without a
    busy timeout, so wait for that read to end (5 s at most) instead of failing the test."""
    for attempt in range(attempts):
        try:
            _image[0].backup(connection.connection)
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == attempts - 1:
                raise
            time.sleep(pause)


def _make_teardown(flush):
    def _fixture_teardown(self):
        if not _usable(self):
            return flush(self)
        connection = connections[DEFAULT_DB_ALIAS]
        connection.ensure_connection()
        if not _image:
            flush(self)
            # Primary keys from 1 again in every test, as in a new database, whatever the
            # first test wrote: a setup recorded in any test then gets the ids a real build
            # gets after ``flush`` (test_harness.py compares the two).
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM sqlite_sequence")
            image = sqlite3.connect(":memory:", check_same_thread=False)
            connection.connection.backup(image)
            _image.append(image)
            STATS["flushed"] += 1
        else:
            _restore(connection)
            STATS["restored"] += 1
        # Cached content types keep the ids of the image (a test may have added one).
        ContentType.objects.clear_cache()
        return None

    return _fixture_teardown


@contextlib.contextmanager
def installed():
    """Within the block, a transactional test's teardown restores the image (see above)."""
    flush = TransactionTestCase._fixture_teardown
    TransactionTestCase._fixture_teardown = _make_teardown(flush)
    try:
        yield
    finally:
        TransactionTestCase._fixture_teardown = flush
        while _image:
            _image.pop().close()
