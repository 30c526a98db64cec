"""Near-me benchmark: 100,000 generated places over mainland France, nearest 20.

Runs on the current DATABASE_URL (SQLite by default), in a throw-away test database.
Prints p50/p95 (ms) of geo.nearest() (bounding box in SQL + haversine in Python) and of
selectors.near() (with the Place objects), for 300 random origins. Not a test: figures only
(issue #4: p95 ≤ 20 ms for the nearest 20 among 100,000 places).
"""

import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ressourcerie.settings")
os.environ.setdefault("RESSOURCERIE_ENV", "test")
_tmp = tempfile.TemporaryDirectory()
os.environ.setdefault("SQLITE_TEST_NAME", str(Path(_tmp.name) / "bench.sqlite3"))

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

PLACES = int(os.environ.get("BENCH_PLACES", 100_000))
QUERIES = 300


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def generate(rng):
    from ressourcerie.directory.models import Place

    batch = []
    for i in range(PLACES):
        # Denser around cities, as real data is: half the places near 40 "cities".
        if i % 2:
            lat, lon = rng.uniform(42.5, 51.0), rng.uniform(-4.5, 7.8)
        else:
            c = i % 40
            clat, clon = 43 + (c * 0.19) % 8, -1.5 + (c * 0.77) % 9
            lat, lon = rng.gauss(clat, 0.15), rng.gauss(clon, 0.2)
        batch.append(
            Place(
                slug=f"lieu-{i}",
                name=f"Lieu {i}",
                commune_name="Commune",
                postal_code="75000",
                address="1 rue",
                latitude=lat,
                longitude=lon,
                services=",outils_quotidien," if i % 3 else ",demarches,",
                kinds=",mediation,",
            )
        )
        if len(batch) == 5000:
            Place.objects.bulk_create(batch)
            batch = []
    Place.objects.bulk_create(batch)


def timed(fn, origins):
    figures = []
    for lat, lon in origins:
        start = time.perf_counter()
        fn(lat, lon)
        figures.append((time.perf_counter() - start) * 1000)
    return figures


def main():
    from ressourcerie.directory import geo, selectors

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        rng = random.Random(4)
        start = time.perf_counter()
        generate(rng)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE directory_place")
        print(
            f"{connection.vendor}: {PLACES} places generated in {time.perf_counter() - start:.1f} s"
        )
        origins = [(rng.uniform(43.0, 50.5), rng.uniform(-1.5, 7.0)) for _ in range(QUERIES)]
        queryset = selectors.published_places()
        for label, fn in (
            (
                "geo.nearest (ids + distances)",
                lambda la, lo: geo.nearest(queryset, lat=la, lon=lo, limit=20),
            ),
            (
                "selectors.near (Place objects)",
                lambda la, lo: selectors.near(latitude=la, longitude=lo, limit=20),
            ),
            (
                "selectors.near + filter service",
                lambda la, lo: selectors.near(
                    latitude=la,
                    longitude=lo,
                    limit=20,
                    filters=selectors.Filters(service="demarches"),
                ),
            ),
        ):
            fn(*origins[0])  # warm up
            figures = timed(fn, origins)
            print(
                f"  {label:34} p50 {statistics.median(figures):6.2f} ms   "
                f"p95 {percentile(figures, 95):6.2f} ms   max {max(figures):6.2f} ms"
            )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
