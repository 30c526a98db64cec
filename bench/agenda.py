"""Agenda benchmark at the issue's scale: 20,000 events (5,000 upcoming) with their sessions
and 200,000 registrations over 20 departments; then p50/p95 of the list with filters, near a
commune, the API near a position, and the department's .ics feed, in ms, with the number of
queries of each. Runs in a throw-away test database (SQLite, or PostgreSQL with DATABASE_URL).
Figures only, no asserts. ``BENCH_EXPLAIN=1`` on PostgreSQL prints each query's plan
(EXPLAIN ANALYZE) and execution time.
"""

import os
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ressourcerie.settings")
os.environ.setdefault("RESSOURCERIE_ENV", "test")
_tmp = tempfile.TemporaryDirectory()
os.environ.setdefault("SQLITE_TEST_NAME", str(Path(_tmp.name) / "bench.sqlite3"))

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

EVENTS = 20_000
UPCOMING = 5_000
REGISTRATIONS = 200_000
RUNS = 40
# (department, INSEE, commune, postal code, latitude, longitude)
PLACES = [
    ("16", "16015", "Angoulême", "16000", 45.6484, 0.1562),
    ("17", "17300", "La Rochelle", "17000", 46.1591, -1.1520),
    ("19", "19272", "Tulle", "19000", 45.2658, 1.7722),
    ("23", "23096", "Guéret", "23000", 46.1710, 1.8714),
    ("24", "24322", "Périgueux", "24000", 45.1846, 0.7214),
    ("33", "33063", "Bordeaux", "33000", 44.8378, -0.5792),
    ("40", "40192", "Mont-de-Marsan", "40000", 43.8902, -0.4991),
    ("47", "47001", "Agen", "47000", 44.2033, 0.6163),
    ("64", "64445", "Pau", "64000", 43.2951, -0.3708),
    ("79", "79191", "Niort", "79000", 46.3237, -0.4588),
    ("86", "86194", "Poitiers", "86000", 46.5802, 0.3404),
    ("87", "87085", "Limoges", "87000", 45.8336, 1.2611),
    ("44", "44109", "Nantes", "44000", 47.2184, -1.5536),
    ("49", "49007", "Angers", "49000", 47.4784, -0.5632),
    ("53", "53130", "Laval", "53000", 48.0707, -0.7734),
    ("72", "72181", "Le Mans", "72000", 48.0061, 0.1996),
    ("85", "85191", "La Roche-sur-Yon", "85000", 46.6705, -1.4260),
    ("35", "35238", "Rennes", "35000", 48.1173, -1.6778),
    ("37", "37261", "Tours", "37000", 47.3941, 0.6848),
    ("45", "45234", "Orléans", "45000", 47.9030, 1.9093),
]


def timed(fn, runs=RUNS):
    """p50 and p95 of the wall time, and of this process's CPU time: on the shared machine
    the wall time mostly measures the wait for a core, the CPU time what a request costs
    (with SQLite all of it; with PostgreSQL the server's share is not in it)."""
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    wall.sort()
    cpu.sort()
    p95 = int(len(wall) * 0.95) - 1
    return statistics.median(wall), wall[p95], statistics.median(cpu), cpu[p95]


counted: list[tuple] = []


def count_query(execute, sql, params, many, context):
    """Every query of a request (Django resets its own query log when a request starts)."""
    counted.append((sql, params))
    return execute(sql, params, many, context)


def explain(queries) -> None:
    """Each SELECT's plan and execution time, as PostgreSQL ran it."""
    with connection.cursor() as cursor:
        for sql, params in queries:
            if not sql.lstrip().upper().startswith("SELECT") or "django_session" in sql:
                continue
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
            plan = [row[0] for row in cursor.fetchall()]
            print(f"    {sql[:160]}")
            for line in plan:
                print(f"      {line}")


def populate():
    from ressourcerie.agenda.models import Event, Registration, Session
    from ressourcerie.core.models import Commune, Department, Organisation, Region

    region = Region.objects.create(code="75", name="Région")
    communes = []
    for code, insee, name, postal, lat, lon in PLACES:
        department = Department.objects.create(code=code, name=f"Département {code}", region=region)
        communes.append(
            Commune.objects.create(
                insee=insee,
                name=name,
                search_name=name.lower(),
                department=department,
                postal_codes=postal,
                population=100_000,
                latitude=lat,
                longitude=lon,
            )
        )
    structures = Organisation.objects.bulk_create(
        [
            Organisation(kind="support_structure", name=f"Structure {i}", slug=f"structure-{i}")
            for i in range(80)
        ]
    )
    rng = random.Random(17)
    now = timezone.now()
    kinds = ["formation", "atelier", "sensibilisation", "permanence", "webinaire"]
    themes = ["gerer", "communiquer", "collaborer", "securiser"]
    events = []
    for i in range(EVENTS):
        commune = communes[i % len(communes)]
        upcoming = i < UPCOMING
        start = (
            now + timedelta(days=rng.randint(1, 120))
            if upcoming
            else now - timedelta(days=rng.randint(1, 900))
        )
        start = start.replace(minute=0, second=0, microsecond=0)
        online = rng.random() < 0.15
        events.append(
            Event(
                title=f"Événement {i} : {rng.choice(kinds)} {rng.choice(themes)}",
                kind=rng.choice(kinds),
                themes=f",{rng.choice(themes)},",
                attendance_mode="en_ligne" if online else "presentiel",
                commune=commune,
                address="Maison des associations",
                online_url="https://visio.example/x" if online else "",
                organiser=rng.choice(structures),
                capacity=rng.choice([None, 10, 20, 50]),
                publication="publie",
                starts_at=start,
                ends_at=start + timedelta(hours=3),
                department_code=commune.department.code,
                latitude=commune.latitude + rng.uniform(-0.3, 0.3),
                longitude=commune.longitude + rng.uniform(-0.3, 0.3),
            )
        )
    events = Event.objects.bulk_create(events, batch_size=2000)
    sessions = []
    for event in events:
        sessions.append(Session(event=event, starts_at=event.starts_at, ends_at=event.ends_at))
        if rng.random() < 0.2:
            later = event.starts_at + timedelta(days=7)
            sessions.append(
                Session(event=event, starts_at=later, ends_at=later + timedelta(hours=3))
            )
    Session.objects.bulk_create(sessions, batch_size=5000)
    Registration.objects.bulk_create(
        (
            Registration(
                event=events[rng.randrange(EVENTS)],
                email=f"p{i}@example.org",
                name=f"Personne {i}",
                status=rng.choice(["inscrit", "inscrit", "inscrit", "attente", "retire"]),
            )
            for i in range(REGISTRATIONS)
        ),
        batch_size=5000,
    )


def main():
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        start = time.perf_counter()
        populate()
        if connection.vendor == "postgresql":
            # As autovacuum does after such inserts: without statistics the planner takes
            # 5,000 rows for one and picks the wrong index (registrations by session).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        print(
            f"{connection.vendor}: {EVENTS} events ({UPCOMING} upcoming), {REGISTRATIONS} "
            f"registrations in {time.perf_counter() - start:.0f} s"
        )
        client = Client()
        cases = {
            "baseline /mentions-legales/": lambda: client.get("/mentions-legales/"),
            "list /agenda/": lambda: client.get("/agenda/"),
            "list, department 16": lambda: client.get("/agenda/", {"departement": "16"}),
            "list, 3 filters": lambda: client.get(
                "/agenda/", {"departement": "16", "type": "atelier", "theme": "gerer"}
            ),
            "list, online": lambda: client.get("/agenda/", {"en_ligne": "1"}),
            "list, near 16000": lambda: client.get("/agenda/", {"pres_de": "16000"}),
            "API near lat/lon": lambda: client.get(
                "/api/v1/events", {"lat": "45.65", "lon": "0.16"}
            ),
            "event page": lambda: client.get("/agenda/1/"),
            "agenda.ics department 16": lambda: client.get(
                "/agenda/agenda.ics", {"departement": "16"}
            ),
        }
        print(f"load average {os.getloadavg()[0]:.1f}")
        show_plans = os.environ.get("BENCH_EXPLAIN") and connection.vendor == "postgresql"
        print(
            f"{'case':<30} {'p50 ms':>8} {'p95 ms':>8} {'CPU p50':>8} {'CPU p95':>8} {'queries':>8}"
        )
        for name, fn in cases.items():
            counted.clear()
            with connection.execute_wrapper(count_query):
                response = fn()
            queries = list(counted)
            assert response.status_code == 200, (name, response.status_code)
            p50, p95, cpu50, cpu95 = timed(fn, runs=15 if "ics" in name else RUNS)
            print(
                f"{name:<30} {p50:>8.1f} {p95:>8.1f} {cpu50:>8.1f} {cpu95:>8.1f} {len(queries):>8}"
            )
            if show_plans:
                explain(queries)
        body = client.get("/agenda/agenda.ics", {"departement": "16"}).content
        print(f"department 16 feed: {body.count(b'BEGIN:VEVENT')} VEVENT, {len(body) // 1024} KB")
        print(f"load average {os.getloadavg()[0]:.1f}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
