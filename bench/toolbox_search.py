"""Toolbox benchmark: 5,000 tools, 200 varied questions with filters, on the current engine.

Runs on DATABASE_URL (SQLite by default) in a throw-away test database. Loads the shipped
catalogue, then generates tools up to 5,000 (variants of real entries, random needs and
criteria), indexes them, and times the catalogue page /outils/ for questions as people
phrase them, with and without filters, and the same through the API. Prints p50/p95 in
ms (target: p95 ≤ 50 ms).
"""

import gc
import io
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ressourcerie.settings")
os.environ.setdefault("RESSOURCERIE_ENV", "test")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

TOOLS = 5_000
QUERIES = 200
QUESTIONS = [
    "alternative à Zoom",
    "compta",
    "on veut quitter Google",
    "remplacer whatsapp",
    "sondage de dates",
    "nextclod",
    "affiches",
    "gerer les adherents",
    "vieux ordinateur",
    "visio",
    "gros fichier",
    "mot de passe",
    "newsletter",
    "tableur partagé",
    "billetterie",
    "libre office",
    "site internet",
    "sauvegarde",
    "remplacer photoshop",
    "voter",
]
FILTERS = [
    {},
    {"libre": "on"},
    {"gratuit": "on", "ue": "on"},
    {"difficulte": "debutant"},
    {"plateforme": "web", "libre": "on"},
]

API_FILTERS = [
    {},
    {"free": "true"},
    {"free_for_associations": "true", "eu": "true"},
    {"difficulty": "debutant"},
    {"platform": "web", "free": "true"},
]


def generate(rng):
    from ressourcerie.core.models import ModerationStatus
    from ressourcerie.toolbox.models import Need, Tool

    real = list(Tool.objects.all())
    leaves = list(Need.objects.filter(parent__isnull=False))
    words = ["Pro", "Asso", "Libre", "Cloud", "Plus", "Local", "Équipe", "Solidaire", "Web"]
    created = []
    n = 0
    while len(real) + len(created) < TOOLS:
        base = rng.choice(real)
        n += 1
        created.append(
            Tool(
                slug=f"{base.slug}-{n}",
                name=f"{base.name} {rng.choice(words)} {n}",
                pitch=base.pitch,
                description=base.description,
                website=base.website,
                licence=base.licence,
                is_free_software=base.is_free_software,
                price=base.price,
                hosting=base.hosting,
                data_location=base.data_location,
                difficulty=rng.choice(["debutant", "intermediaire", "avance"]),
                platforms=base.platforms,
                languages=base.languages,
                keywords=base.keywords,
                moderation_status=ModerationStatus.PUBLISHED,
            )
        )
    with transaction.atomic():
        Tool.objects.bulk_create(created, batch_size=500)
        through = Tool.needs.through
        links = [
            through(tool_id=tool.pk, need_id=need.pk)
            for tool in Tool.objects.filter(slug__in=[t.slug for t in created])
            for need in rng.sample(leaves, 2)
        ]
        through.objects.bulk_create(links, batch_size=1000)


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main():
    from ressourcerie.core import search
    from ressourcerie.toolbox.models import Tool

    rng = random.Random(42)
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        quiet = io.StringIO()
        call_command("load_territories", verbosity=0, stdout=quiet)
        call_command("import_tools", quiet_rows=True, verbosity=0, stdout=quiet)
        started = time.perf_counter()
        generate(rng)
        indexed = search.rebuild(types=["tool", "guide"])
        build = time.perf_counter() - started
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
            if connection.vendor == "postgresql":
                # Flush the setup's writes now, so a checkpoint does not land mid-measurement.
                cursor.execute("CHECKPOINT")
        client = Client()
        client.get("/outils/", {"q": "visio"})  # warm caches, as a running server has
        gc.freeze()  # as ressourcerie/wsgi.py does once the application is loaded
        timings, browse, by_question = [], [], {}
        for i in range(QUERIES):
            params = {"q": QUESTIONS[i % len(QUESTIONS)], **FILTERS[i % len(FILTERS)]}
            t0 = time.perf_counter()
            response = client.get("/outils/", params)
            elapsed = (time.perf_counter() - t0) * 1000
            timings.append(elapsed)
            by_question.setdefault(params["q"], []).append(elapsed)
            assert response.status_code == 200
        for i in range(50):
            t0 = time.perf_counter()
            client.get("/outils/", {**FILTERS[i % len(FILTERS)], "page": i % 5 + 1})
            browse.append((time.perf_counter() - t0) * 1000)
        api = []
        for i in range(QUERIES):
            params = {"q": QUESTIONS[i % len(QUESTIONS)], **API_FILTERS[i % len(API_FILTERS)]}
            t0 = time.perf_counter()
            # Many visitors, each under the anonymous rate limit.
            response = client.get("/api/v1/tools", params, REMOTE_ADDR=f"192.0.2.{i % 200}")
            api.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200, response.content[:200]
        print(f"engine: {connection.vendor}; tools: {Tool.objects.count()}; indexed: {indexed}")
        print(f"generate + index: {build:.1f} s")
        print(
            f"/outils/?q=… with filters ({QUERIES} queries): "
            f"p50 {statistics.median(timings):.1f} ms, p95 {percentile(timings, 95):.1f} ms"
        )
        slowest = sorted(by_question.items(), key=lambda kv: -max(kv[1]))[:4]
        print(
            "slowest questions (max / median ms): "
            + ", ".join(f"{q!r} {max(t):.0f}/{statistics.median(t):.0f}" for q, t in slowest)
        )
        print(
            f"/api/v1/tools?q=… with filters ({QUERIES} queries): "
            f"p50 {statistics.median(api):.1f} ms, p95 {percentile(api, 95):.1f} ms"
        )
        print(
            f"/outils/ browsing with filters (50 pages): "
            f"p50 {statistics.median(browse):.1f} ms, p95 {percentile(browse, 95):.1f} ms"
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
