"""Search benchmark: index 5,000 generated French documents, time 200 varied queries.

Runs on the current DATABASE_URL (SQLite by default), in a throw-away test database.
Prints indexing time and p50/p95 of search.find() and of the /recherche/ page, in ms.
Not a test: figures only (DESIGN §6: p95 ≤ 50 ms for search pages).
"""

import gc
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
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

DOCUMENTS = 5_000
QUERIES = 200

NAMES = [
    "Nextcloud",
    "LibreOffice",
    "Jitsi",
    "BigBlueButton",
    "Paheko",
    "Dolibarr",
    "Framadate",
    "HelloAsso",
    "Mobilizon",
    "Framaforms",
    "Thunderbird",
    "Zourit",
    "KeePassXC",
    "Scribus",
    "GIMP",
    "Inkscape",
    "Audacity",
    "Kdenlive",
    "uMap",
    "PeerTube",
    "Mastodon",
    "WordPress",
    "Grist",
    "Element",
    "Framacalc",
    "Garradin",
    "Bénévalibre",
    "Cryptpad",
    "Etherpad",
    "Kanboard",
]
WORDS = (  # noqa: SIM905
    "association bénévoles adhérents cotisations comptabilité trésorerie budget subvention "
    "visioconférence réunion distance formation atelier accompagnement numérique libre logiciel "
    "hébergement données sécurité sauvegarde mots passe messagerie courriel agenda partage "
    "fichiers tableur feuille calcul traitement texte présentation affiche communication réseau "
    "social vidéo montage podcast carte événement billetterie dons collecte formulaire sondage "
    "ordinateur reconditionné réparation fablab tiers-lieu médiation inclusion jeunes seniors "
    "quartier commune département région projet équipe gouvernance assemblée générale statuts "
    "sobriété accessibilité RGPD confidentialité souveraineté coopérative solidarité culture "
    "sport environnement santé éducation populaire insertion emploi"
).split()
PLACES = ["Nantes", "Angers", "Le Mans", "Laval", "La Roche-sur-Yon", "Saint-Nazaire", "Cholet"]
SYNONYMS = [
    ("visio", "visioconférence, réunion en ligne"),
    ("compta", "comptabilité, trésorerie"),
    ("tableur", "feuille de calcul"),
    ("mail", "courriel, messagerie"),
    ("asso", "association"),
]


def sentence(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def documents(rng):
    for i in range(DOCUMENTS):
        kind = rng.choice(["tool", "place", "guide"])
        name = f"{rng.choice(NAMES)} {rng.choice(WORDS)} {i}"
        yield (
            kind,
            i,
            {
                "title": name,
                "keywords": ", ".join(rng.sample(WORDS, 4)),
                "body": " ".join(
                    sentence(rng, rng.randint(8, 20)) for _ in range(rng.randint(3, 8))
                ),
                "filters": {
                    "department": rng.choice(["44", "49", "53", "72", "85"]),
                    "need": rng.sample(
                        ["compta", "reunir", "communiquer", "securite", "partage"], 2
                    ),
                },
            },
        )


def queries(rng):
    made = []
    typos = ["nextclod", "libreofice", "comptabilte", "visioconferance", "benevols", "thunderbrid"]
    for i in range(QUERIES):
        form = i % 10
        if form == 0:
            q = rng.choice(WORDS)
        elif form == 1:
            q = f"{rng.choice(WORDS)} {rng.choice(WORDS)}"
        elif form == 2:
            q = rng.choice(typos)
        elif form == 3:
            q = rng.choice(["visio", "compta", "tableur", "mail", "réunion en ligne"])
        elif form == 4:
            q = rng.choice(WORDS)[:4]  # prefix, as typed
        elif form == 5:
            q = rng.choice(NAMES)
        elif form == 6:
            q = f"{rng.choice(WORDS)} {rng.choice(PLACES)}"
        elif form == 7:
            q = rng.choice(WORDS).upper()
        elif form == 8:
            q = f"{rng.choice(WORDS)} {rng.choice(WORDS)} {rng.choice(WORDS)}"
        else:
            q = rng.choice(['"nextcloud" OR', "NEAR(a b)", "x" * 300, "de la", "zzzzqqq"])
        made.append((q, form))
    return made


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main():
    from ressourcerie.core import search
    from ressourcerie.core.models import Region, SearchSynonym

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        for key, label in [("tool", "Outils"), ("place", "Lieux"), ("guide", "Guides")]:
            search.register(
                search.SearchableType(
                    key=key,
                    label=label,
                    model=Region,
                    document=lambda o: None,
                    queryset=Region.objects.none,
                )
            )
        for term, synonyms in SYNONYMS:
            SearchSynonym.objects.create(term=term, synonyms=synonyms)
        rng = random.Random(42)
        started = time.perf_counter()
        # One transaction per document, as an app's service does after each write.
        for kind, pk, data in documents(rng):
            search.index_document(kind, pk, search.SearchDocumentData(url=f"/{kind}/{pk}/", **data))
        indexing = time.perf_counter() - started
        with connection.cursor() as cursor:  # what autovacuum / a nightly job would have done
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
        print(
            f"engine: {connection.vendor}; {DOCUMENTS} documents indexed in {indexing:.1f} s "
            f"({DOCUMENTS / indexing:.0f}/s)"
        )

        timings, pages, hits = [], [], 0
        client = Client()
        client.get("/recherche/", {"q": "visio"})  # warm caches, as a running server has
        gc.freeze()  # as ressourcerie/wsgi.py does once the application is loaded
        for q, form in queries(rng):
            kwargs = {"filters": {"department": "44"}} if form == 6 else {}
            started = time.perf_counter()
            results = search.find(q, **kwargs)
            timings.append((time.perf_counter() - started) * 1000)
            hits += bool(results.total)
            started = time.perf_counter()
            response = client.get("/recherche/", {"q": q})
            pages.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        print(
            f"search.find(): {QUERIES} queries, {hits} with results; "
            f"p50 {percentile(timings, 50):.1f} ms, p95 {percentile(timings, 95):.1f} ms, "
            f"max {max(timings):.1f} ms, mean {statistics.mean(timings):.1f} ms"
        )
        print(
            f"/recherche/ page: p50 {percentile(pages, 50):.1f} ms, "
            f"p95 {percentile(pages, 95):.1f} ms, max {max(pages):.1f} ms"
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
