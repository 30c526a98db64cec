"""Map at national scale (issue #19, item 2): 20,000 places spread over France.

Places are put at communes of the shipped gazetteer drawn by population (as real listings
are: more in towns), with a few hundred metres of jitter. Runs on the current DATABASE_URL
(SQLite by default, PostgreSQL when set) in a throw-away test database, through Django's
test client (middleware, view, JSON encoding: the server's whole work but the socket).

Prints: the first visit's weight (HTML + CSS + scripts + outlines + the first GeoJSON
answer, each gzip-compressed as WhiteNoise and nginx serve them; budget 300 KB) and the
server time of the GeoJSON endpoint at every zoom from 5 to 16 over boxes the size of a
1280 × 450 px map around random places (budget: p95 ≤ 100 ms at every zoom).

    .venv/bin/python bench/map_scale.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wt_dir .venv/bin/python bench/map_scale.py
"""

import csv
import gzip
import json
import math
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ressourcerie.settings")
os.environ.setdefault("RESSOURCERIE_ENV", "test")
_tmp = tempfile.TemporaryDirectory()
os.environ.setdefault("SQLITE_TEST_NAME", str(Path(_tmp.name) / "bench.sqlite3"))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

PLACES = int(os.environ.get("BENCH_PLACES", 20_000))
RUNS = int(os.environ.get("BENCH_RUNS", 40))
WIDTH_PX, HEIGHT_PX = 1280, 450
STATIC = ["css/main.css", "vendor/leaflet/leaflet.css", "vendor/leaflet/leaflet.js", "js/map.js"]


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def communes():
    with (ROOT / "data" / "communes.csv").open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if len(r["department_code"]) == 2]
    return rows


def generate(rng):
    from ressourcerie.directory.models import Place

    rows = communes()
    weights = [max(int(r["population"] or 0), 50) for r in rows]
    chosen = rng.choices(rows, weights=weights, k=PLACES)
    batch = []
    for i, row in enumerate(chosen):
        batch.append(
            Place(
                slug=f"lieu-{i}",
                name=f"Espace numérique {row['name']} {i}",
                commune_name=row["name"],
                postal_code=(row["postal_codes"] or "00000").split()[0],
                address=f"{i % 90 + 1} rue de la République",
                latitude=float(row["latitude"]) + rng.gauss(0, 0.005),
                longitude=float(row["longitude"]) + rng.gauss(0, 0.007),
                kinds=",mediation," if i % 3 else ",fablab,",
                services=",outils_quotidien,",
            )
        )
        if len(batch) == 5000:
            Place.objects.bulk_create(batch)
            batch = []
    Place.objects.bulk_create(batch)


def box_around(lat, lon, zoom):
    """The box a 1280 × 450 px map shows at ``zoom`` centred on (lat, lon)."""
    degrees_per_px = 360 / (256 * 2**zoom)
    half_w = WIDTH_PX / 2 * degrees_per_px
    half_h = HEIGHT_PX / 2 * degrees_per_px * math.cos(math.radians(lat))
    return f"{lon - half_w:.3f},{lat - half_h:.3f},{lon + half_w:.3f},{lat + half_h:.3f}"


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


def first_visit(client):
    html = client.get("/acteurs/carte/").content
    extent = json.loads("[" + html.decode().split('data-extent="')[1].split('"')[0] + "]")
    # Leaflet's fitBounds of the places on a 1280 × 450 map: the zoom whose box holds them.
    span = max(extent[2] - extent[0], 1e-6)
    zoom = max(0, min(12, int(math.log2(360 * WIDTH_PX / 256 / span))))
    points = client.get(
        "/acteurs/carte/lieux.geojson", {"bbox": ",".join(map(str, extent)), "zoom": zoom}
    ).content
    outlines = (ROOT / "data" / "departements.geojson").read_bytes()
    parts = {"page HTML": gz(html), "first GeoJSON": gz(points), "outlines": gz(outlines)}
    for path in STATIC:
        parts[path] = gz((ROOT / "static" / path).read_bytes())
    return parts, zoom, len(json.loads(points)["features"])


def main():
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        rng = random.Random(19)
        start = time.perf_counter()
        call_command("load_territories", verbosity=0)
        generate(rng)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE directory_place")
        print(
            f"{connection.vendor}: {PLACES} places at communes drawn by population, "
            f"built in {time.perf_counter() - start:.1f} s"
        )
        client = Client()
        parts, zoom, features = first_visit(client)
        total = sum(parts.values())
        print(
            f"first visit of /acteurs/carte/ (gzip): {total / 1024:.1f} KB "
            f"(budget 300 KB; opens at zoom {zoom} with {features} features)"
        )
        for name, size in parts.items():
            print(f"  {name:28} {size / 1024:7.1f} KB")
        from ressourcerie.directory.models import Place

        centres = list(Place.objects.values_list("latitude", "longitude")[:2000])
        worst = 0.0
        print("GeoJSON server time by zoom (ms), 1280 × 450 px boxes around random places:")
        for z in range(5, 17):
            figures, sizes, counts = [], [], []
            for _ in range(RUNS):
                lat, lon = rng.choice(centres)
                start = time.perf_counter()
                response = client.get(
                    "/acteurs/carte/lieux.geojson", {"bbox": box_around(lat, lon, z), "zoom": z}
                )
                figures.append((time.perf_counter() - start) * 1000)
                sizes.append(gz(response.content))
                counts.append(len(json.loads(response.content)["features"]))
            worst = max(worst, percentile(figures, 95))
            print(
                f"  zoom {z:2}: p50 {statistics.median(figures):6.1f}  "
                f"p95 {percentile(figures, 95):6.1f}  max {max(figures):6.1f}   "
                f"features ≤ {max(counts):4}   answer ≤ {max(sizes) / 1024:5.1f} KB gz"
            )
        start = time.perf_counter()
        client.get("/acteurs/carte/villes.json")
        print(f"town labels: {(time.perf_counter() - start) * 1000:.1f} ms")
        verdict = "OK" if total <= 300 * 1024 and worst <= 100 else "OVER BUDGET"
        print(
            f"{verdict}: first visit {total / 1024:.1f} KB ≤ 300, worst zoom p95 {worst:.1f} ms "
            f"≤ 100 (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)"
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
