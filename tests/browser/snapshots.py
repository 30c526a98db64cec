"""Page setups built once per run: ``@built_once`` on a setup of pages.py.

The first call runs the setup for real in the (empty) test database and records the rows it
added; the next call inserts those rows again with plain SQL inside one transaction, then
reloads the model instances of the returned dict. With the empty database's image in use
(db_image.py: in-memory SQLite), that next call inserts them into a copy of the empty
database kept as the setup's own image, and every later call copies that image back and puts
back the few rows the test wrote before (its user): the catalogue's rows go through the
search index's triggers once per run instead of once per test. Importing the tool
catalogue or the 188 places of Charente takes seconds; inserting their rows takes
milliseconds, and the browser suite asks for them on dozens of pages.

Each test still starts from an empty database (the live server's ``transactional_db``
flushes it after every test), so a test that writes is isolated as before: it writes into
its own copy of the rows. What stays true of a restored setup (tests/browser/test_harness.py
checks it):
- the rows are those the real setup writes, column for column; foreign keys to content types
  are stored as (app_label, model) and mapped to this test's ids, because every flush
  recreates the content types with new ids;
- a setup may only add rows to tables that were empty (a pre-existing row changed, or a row
  added next to an existing one, raises ``NotBuiltOnce``): then recording and restoring are
  exact, whoever calls it first;
- the returned dict holds model instances (reloaded by primary key) or plain values;
- on another database than SQLite the setup always runs for real (sequences would need
  resetting), so the suite stays correct there, only slower; so it does with
  ``BROWSER_BUILT_ONCE=0`` (to measure the difference, docs/performance.md).

Nothing outside the database is recorded: a decorated setup must not write files, send
e-mail or fill a cache (the Django cache is cleared before every test anyway).
"""

from __future__ import annotations

import functools
import os
import sqlite3
import time
from collections import Counter
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction

from . import db_image

# SQL below is built from the models' own table and column names (quoted), never from input.

# Recreated by post_migrate after every flush: never part of a setup's rows.
RECREATED = {ContentType._meta.db_table, "auth_permission"}

STATS: Counter = Counter()  # "<setup> built" / "<setup> restored" / seconds, for the summary


class NotBuiltOnce(Exception):
    """The setup touched what a recording cannot replay exactly."""


@dataclass
class _Table:
    name: str
    columns: list[str]
    content_type_columns: list[int]  # indexes of columns that point at django_content_type


@dataclass
class _Snapshot:
    rows: dict[str, list[tuple]] = field(default_factory=dict)
    data: dict = field(default_factory=dict)  # key -> ("model", model label, pk) or value
    image: sqlite3.Connection | None = None  # the empty database plus these rows (db_image)


def _tables() -> list[_Table]:
    tables = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if not meta.managed or meta.proxy or meta.db_table in RECREATED:
            continue
        fields = meta.concrete_fields
        tables[meta.db_table] = _Table(
            name=meta.db_table,
            columns=[f.column for f in fields],
            content_type_columns=[
                i for i, f in enumerate(fields) if f.is_relation and f.related_model is ContentType
            ],
        )
    return list(tables.values())


def _read(table: _Table) -> list[tuple]:
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(qn(c) for c in table.columns)} FROM {qn(table.name)} "  # noqa: S608
            f"ORDER BY {qn(table.columns[0])}"
        )
        return cursor.fetchall()


def _content_types() -> dict[int, tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, app_label, model FROM {ContentType._meta.db_table}")  # noqa: S608
        return {pk: (app_label, model) for pk, app_label, model in cursor.fetchall()}


def _map_columns(row: tuple, indexes: list[int], mapping: dict) -> tuple:
    if not indexes:
        return row
    values = list(row)
    for i in indexes:
        if values[i] is not None:
            values[i] = mapping[values[i]]
    return tuple(values)


def _record(name: str, setup, args) -> tuple[dict, _Snapshot]:
    tables = _tables()
    before = {t.name: _read(t) for t in tables}
    data = setup(*args)
    by_id = _content_types()
    snapshot = _Snapshot()
    for table in tables:
        after = _read(table)
        if after == before[table.name]:
            continue
        if before[table.name]:
            raise NotBuiltOnce(
                f"{name} wrote to {table.name}, which already had rows: its rows cannot be "
                "replayed exactly; call it first, or drop @built_once"
            )
        snapshot.rows[table.name] = [
            _map_columns(row, table.content_type_columns, by_id) for row in after
        ]
    for key, value in data.items():
        if isinstance(value, models.Model):
            snapshot.data[key] = ("model", value._meta.label, value.pk)
        elif value is None or isinstance(value, str | int | float | bool):
            snapshot.data[key] = value
        else:
            raise NotBuiltOnce(f"{name} returned {key}={value!r}: neither a model nor a value")
    return data, snapshot


def _restore(name: str, snapshot: _Snapshot) -> dict:
    qn = connection.ops.quote_name
    by_key = {key: pk for pk, key in _content_types().items()}
    with transaction.atomic(), connection.cursor() as cursor:
        for table in _tables():
            rows = snapshot.rows.get(table.name)
            if rows is None:
                continue
            cursor.execute(f"SELECT 1 FROM {qn(table.name)} LIMIT 1")  # noqa: S608
            if cursor.fetchone():
                raise NotBuiltOnce(
                    f"{name}: {table.name} already has rows; its recorded rows cannot be "
                    "inserted there (call the setup before anything writes to that table)"
                )
            placeholders = ", ".join(["%s"] * len(table.columns))
            cursor.executemany(
                f"INSERT INTO {qn(table.name)} ({', '.join(qn(c) for c in table.columns)}) "  # noqa: S608
                f"VALUES ({placeholders})",
                [_map_columns(row, table.content_type_columns, by_key) for row in rows],
            )
    return _reload(snapshot)


def _reload(snapshot: _Snapshot) -> dict:
    data = {}
    for key, value in snapshot.data.items():
        if isinstance(value, tuple) and value[:1] == ("model",):
            data[key] = apps.get_model(value[1])._default_manager.get(pk=value[2])
        else:
            data[key] = value
    return data


def _restore_from_image(name: str, snapshot: _Snapshot, empty: sqlite3.Connection) -> dict:
    """The rows replayed once into a copy of the empty database (db_image.py), kept as an image
    of their own; each later restore copies that image back (milliseconds, where replaying
    the catalogue's rows through the search index's triggers takes seconds), then puts back
    the rows the test had already written (its user…), which no recorded table may hold."""
    tables = [t for t in _tables() if t.name not in RECREATED]
    present = {t.name: (t, rows) for t in tables if (rows := _read(t))}
    for table_name in present:
        if table_name in snapshot.rows:
            raise NotBuiltOnce(
                f"{name}: {table_name} already has rows; its recorded rows cannot be "
                "inserted there (call the setup before anything writes to that table)"
            )
    by_id = _content_types()
    raw = connection.connection
    if snapshot.image is None:
        empty.backup(raw)
        _restore(name, snapshot)
        snapshot.image = sqlite3.connect(":memory:", check_same_thread=False)
        raw.backup(snapshot.image)
    else:
        snapshot.image.backup(raw)
    ContentType.objects.clear_cache()
    by_key = {key: pk for pk, key in _content_types().items()}
    to_new = {pk: by_key[key] for pk, key in by_id.items() if key in by_key}
    qn = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        for table, rows in present.values():
            placeholders = ", ".join(["%s"] * len(table.columns))
            cursor.executemany(
                f"INSERT INTO {qn(table.name)} ({', '.join(qn(c) for c in table.columns)}) "  # noqa: S608
                f"VALUES ({placeholders})",
                [_map_columns(row, table.content_type_columns, to_new) for row in rows],
            )
    return _reload(snapshot)


_SNAPSHOTS: dict[str, _Snapshot] = {}


def built_once(setup):
    """Decorator for a page setup that does not depend on the signed-in user (it is ignored):
    built for real once per run, replayed from its recorded rows afterwards."""
    name = setup.__name__

    @functools.wraps(setup)
    def wrapper(user=None) -> dict:
        started = time.perf_counter()
        if connection.vendor != "sqlite" or os.environ.get("BROWSER_BUILT_ONCE") == "0":
            return setup(user)
        snapshot = _SNAPSHOTS.get(name)
        if snapshot is None:
            data, _SNAPSHOTS[name] = _record(name, setup, (user,))
            STATS[f"{name} built"] += 1
        else:
            empty = None if connection.in_atomic_block else db_image.empty()
            if empty is None:
                data = _restore(name, snapshot)
            else:
                data = _restore_from_image(name, snapshot, empty)
            STATS[f"{name} restored"] += 1
        STATS[f"{name} seconds"] += time.perf_counter() - started
        return data

    wrapper.build = setup  # the real setup, for the harness's own tests
    wrapper.forget = lambda: _SNAPSHOTS.pop(name, None)
    return wrapper
