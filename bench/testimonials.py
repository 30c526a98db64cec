"""Testimonials benchmark: 3,000 published testimonials on the shipped catalogue, then p50/p95
of the list page (with and without filters), a full-text search, a tool page and the
comparable selector, in ms. Runs in a throw-away test database. Figures only, no asserts.
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

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

COUNT = 3_000
RUNS = 60
WORDS = [
    "réunions",
    "fichiers",
    "comptabilité",
    "bénévoles",
    "adhérents",
    "planning",
    "lettre",
    "visio",
    "sondage",
]


def timed(fn, runs=RUNS):
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def populate():
    from ressourcerie.core import search
    from ressourcerie.core.models import Department, Organisation, Region
    from ressourcerie.core.models.organisations import MembersBand, Sector
    from ressourcerie.testimonials.models import Testimonial, TestimonialTool
    from ressourcerie.toolbox.models import Tool

    call_command("import_tools", quiet_rows=True, verbosity=0)
    region = Region.objects.create(code="52", name="Pays de la Loire")
    departments = [
        Department.objects.create(code=str(c), name=f"Département {c}", region=region)
        for c in (44, 49, 53, 72, 85)
    ]
    organisations = Organisation.objects.bulk_create(
        [Organisation(kind="association", name=f"Asso {i}", slug=f"asso-{i}") for i in range(300)]
    )
    tools = list(Tool.objects.all())
    rng = random.Random(4)
    testimonials = Testimonial.objects.bulk_create(
        [
            Testimonial(
                organisation=rng.choice(organisations),
                consent_names=True,
                sector=rng.choice(Sector.values),
                members_band=rng.choice(MembersBand.values),
                department=rng.choice(departments),
                title=f"Témoignage {i} : {' '.join(rng.sample(WORDS, 3))}",
                problem=" ".join(rng.choices(WORDS, k=40)),
                actions=" ".join(rng.choices(WORDS, k=80)),
                moderation_status="published",
            )
            for i in range(COUNT)
        ]
    )
    TestimonialTool.objects.bulk_create(
        [
            TestimonialTool(testimonial=t, tool=tool, role=role)
            for t in testimonials
            for tool, role in zip(rng.sample(tools, 2), ("before", "after"), strict=True)
        ]
    )
    start = time.perf_counter()
    search.rebuild(types=["testimonial"])
    print(f"indexing {COUNT} testimonials: {time.perf_counter() - start:.1f} s")


def main():
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        populate()
        from ressourcerie.testimonials import selectors

        client = Client()
        cases = {
            "list /temoignages/": lambda: client.get("/temoignages/"),
            "list, 2 filters": lambda: client.get(
                "/temoignages/", {"secteur": "sport", "departement": "44"}
            ),
            "list, need filter": lambda: client.get("/temoignages/", {"besoin": "collaborer"}),
            "search ?q=": lambda: client.get("/temoignages/", {"q": "comptabilite benevoles"}),
            "tool page (nextcloud)": lambda: client.get("/outils/nextcloud/"),
            "comparable_testimonials()": lambda: selectors.comparable_testimonials(
                sector="sport", members_band="51-200", department_code="44"
            ),
        }
        print(f"{'case':<28} {'p50 ms':>8} {'p95 ms':>8}")
        for name, fn in cases.items():
            fn()
            p50, p95 = timed(fn)
            print(f"{name:<28} {p50:>8.1f} {p95:>8.1f}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
