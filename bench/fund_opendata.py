"""Open-data benchmark of the support fund (issue #15): the SCDL « Subventions » export of
2,000 decisions.

In a throw-away test database on the current DATABASE_URL (SQLite by default): one closed call,
2,000 associations and 2,000 accepted applications (days and euros granted). Times the export
function and the API answer (``GET /api/v1/fund/decisions.csv``). Prints median and max (s)
over a few runs. Target: ≤ 2 s on SQLite and PostgreSQL. Not a test: figures only.
"""

import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ressourcerie.settings")
os.environ.setdefault("RESSOURCERIE_ENV", "test")
_tmp = tempfile.TemporaryDirectory()
os.environ.setdefault("SQLITE_TEST_NAME", str(Path(_tmp.name) / "bench.sqlite3"))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from ressourcerie.core.models import Commune, Department, Organisation, Region  # noqa: E402
from ressourcerie.fund import exports  # noqa: E402
from ressourcerie.fund.models import Application, ApplicationStatus, Call, CallStatus  # noqa: E402

DECISIONS = int(os.environ.get("BENCH_DECISIONS", 2000))
RUNS = int(os.environ.get("BENCH_RUNS", 5))


def build():
    region = Region.objects.create(code="24", name="Centre-Val de Loire")
    department = Department.objects.create(code="37", name="Indre-et-Loire", region=region)
    commune = Commune.objects.create(
        insee="37261",
        name="Tours",
        search_name="tours",
        department=department,
        population=136000,
        latitude=47.39,
        longitude=0.69,
    )
    today = timezone.localdate()
    call = Call.objects.create(
        title="Appel de mesure",
        slug="appel-de-mesure",
        summary="Mesure",
        text="Mesure",
        status=CallStatus.CLOSED,
        budget_euros=10_000_000,
        budget_days=Decimal("9999"),
        day_value_euros=450,
        opens_on=today - timedelta(days=90),
        closes_on=today - timedelta(days=30),
    )
    organisations = Organisation.objects.bulk_create(
        Organisation(
            kind="association",
            name=f"Association {n}",
            slug=f"association-{n}",
            rna=f"W37{n:07d}",
            commune=commune,
            verified_at=timezone.now(),
        )
        for n in range(DECISIONS)
    )
    now = timezone.now()
    Application.objects.bulk_create(
        Application(
            call=call,
            organisation=organisation,
            reference=f"2026-{n:06d}",
            status=ApplicationStatus.ACCEPTED
            if n % 3
            else ApplicationStatus.ACCEPTED_WITH_CONDITIONS,
            project="Projet",
            days_granted=Decimal(n % 5 + 1),
            amount_granted=(n % 4) * 500,
            cofunding="Commune" if n % 2 else "",
            submitted_at=now - timedelta(days=40),
            decided_at=now - timedelta(days=20),
        )
        for n, organisation in enumerate(organisations)
    )


def timed(function) -> tuple[list[float], object, str]:
    """Wall times of RUNS calls, the last result, and the median CPU time of this process
    (which follows the shared machine's load less than the wall time) with the load."""
    figures, cpu, result = [], [], None
    for _run in range(RUNS):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = function()
        cpu.append(time.process_time() - start_cpu)
        figures.append(time.perf_counter() - start)
    return (
        figures,
        result,
        f"   cpu median {statistics.median(cpu):.3f} s   load {os.getloadavg()[0]:.1f}",
    )


def main():
    setup_test_environment()
    settings.FUND_GRANTOR_NAME = "Réseau de mesure"
    settings.FUND_GRANTOR_SIRET = "12345678900012"
    settings.ALLOWED_HOSTS = ["*"]
    settings.RATE_LIMITS_ENABLED = False
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        start = time.perf_counter()
        build()
        print(
            f"{connection.vendor}: {DECISIONS} decisions built in {time.perf_counter() - start:.1f} s"
        )
        figures, body, cpu = timed(exports.decisions_csv)
        rows = body.count("\r\n") - 1
        print(
            f"  exports.decisions_csv ({rows} rows, {len(body) / 1024:.0f} KB)   "
            f"median {statistics.median(figures):.3f} s   max {max(figures):.3f} s   (target ≤ 2 s)"
            + cpu
        )
        client = Client()
        client.get("/api/v1/fund/decisions.csv")  # warm up: the first request loads the URL conf
        figures, response, cpu = timed(lambda: client.get("/api/v1/fund/decisions.csv"))
        assert response.status_code == 200, response.status_code
        print(
            f"  GET /api/v1/fund/decisions.csv   median {statistics.median(figures):.3f} s   "
            f"max {max(figures):.3f} s   (target ≤ 2 s)" + cpu
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
