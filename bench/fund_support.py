"""Support fund benchmark, part 2 (issue #16): matching one support to actors, suggesting the
cohorts of 500 collective dossiers, and the team's dashboard.

In a throw-away test database on the current DATABASE_URL (SQLite by default): the seed
questionnaire (its rules name the directory supports the matching reads), 5 calls, 2,000
accepted dossiers of 2,000 associations in 10 departments (communes spread over about
150 km), each with its Support (1,500 individual, 500 collective in one call), 300 support
structures on the approved providers' list with one published place each offering
association support, sessions on a third of the supports and measured results on a tenth.
Then, over BENCH_RUNS runs (default 100; 20 for the cohorts): ``support_matching.candidates``
of one support (target ≤ 100 ms), ``support_cohorts.suggest`` of the collective call's 500
(target ≤ 2 s), and the dashboard page overall and for one call (target p95 ≤ 100 ms).
Prints, per case, the queries of one run, the wall time p50/p95/max (ms) and the CPU time of
this process p50/p95 (``time.process_time``: Python's share, the database server's own CPU
on PostgreSQL is not in it), and the load average: wall times under load are not comparable,
queries and CPU are. Not a test: figures only.
"""

import json
import os
import random
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

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from ressourcerie.accounts.models import User  # noqa: E402
from ressourcerie.core.models import (  # noqa: E402
    Commune,
    Department,
    Organisation,
    OrganisationKind,
    Region,
)
from ressourcerie.diagnostic import services as diagnostic_services  # noqa: E402
from ressourcerie.diagnostic.models import RecommendationRule  # noqa: E402
from ressourcerie.directory.models import Place  # noqa: E402
from ressourcerie.fund.models import (  # noqa: E402
    Application,
    ApplicationStatus,
    Call,
    CallStatus,
    PriorityCriterion,
    PriorityKind,
    Provider,
    SessionLog,
    Support,
    SupportStatus,
)
from ressourcerie.fund.selectors import support_cohorts, support_matching  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", 100))
CALLS, APPLICATIONS, COLLECTIVE, ACTORS = 5, 2000, 500, 300
SEED = ROOT / "ressourcerie/diagnostic/seed/questionnaire-v1.json"


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def load():
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


def build():
    rng = random.Random(16)
    today = timezone.localdate()
    diagnostic_services.load_questionnaire(data=json.loads(SEED.read_text(encoding="utf-8")))
    rules = dict(
        RecommendationRule.objects.exclude(support_code="").values_list("key", "support_code")
    )
    keys = sorted(rules)[:8]
    titles = {k: f"Action {k}" for k in keys}
    codes = sorted({rules[k].replace("-", "_") for k in keys})
    region = Region.objects.create(code="52", name="Pays de la Loire")
    departments = [
        Department.objects.create(code=f"{40 + i}", name=f"Département {40 + i}", region=region)
        for i in range(10)
    ]
    communes = [
        Commune.objects.create(
            insee=f"{d.code}{n:03d}",
            name=f"Commune {d.code}-{n}",
            search_name=f"commune {d.code} {n}",
            department=d,
            population=rng.choice([800, 2500, 12000, 90000]),
            latitude=46.5 + (i % 5) * 0.3 + rng.random() * 0.2,
            longitude=-1.5 + (i // 5) * 0.4 + rng.random() * 0.2,
        )
        for i, d in enumerate(departments)
        for n in range(10)
    ]
    calls = []
    for index in range(CALLS):
        call = Call.objects.create(
            title=f"Appel {index}",
            slug=f"appel-{index}",
            summary="Un appel",
            text="Texte",
            status=CallStatus.CLOSED,
            budget_euros=200000,
            budget_days=Decimal("2000"),
            day_value_euros=500,
            opens_on=today - timedelta(days=90),
            closes_on=today - timedelta(days=30),
            collective_support=index == 0,
            individual_support=index != 0,
            cohort_min=4,
            cohort_max=12,
            support_radius_km=50,
        )
        PriorityCriterion.objects.create(
            call=call, kind=PriorityKind.RURAL, parameter="5000", label="Rural", weight=3
        )
        calls.append(call)
    organisations = Organisation.objects.bulk_create(
        Organisation(
            kind=OrganisationKind.ASSOCIATION,
            name=f"Association {n}",
            slug=f"association-{n}",
            commune=communes[n % len(communes)],
            verified_at=timezone.now(),
        )
        for n in range(APPLICATIONS)
    )
    snapshot = {
        "completed_at": timezone.now().isoformat(),
        "axes": [
            {"key": f"axe-{i}", "name": f"Axe {i}", "score": 30 + i, "priority": i < 3}
            for i in range(7)
        ],
        "actions": [
            {"key": k, "title": titles[k], "axis_key": "axe-1", "axis_name": "A"} for k in keys
        ],
    }
    now = timezone.now()
    applications = Application.objects.bulk_create(
        Application(
            call=calls[0] if n < COLLECTIVE else calls[1 + n % (CALLS - 1)],
            organisation=organisation,
            reference=f"2026-S{n:05d}",
            status=ApplicationStatus.ACCEPTED,
            diagnostic_snapshot=snapshot,
            project="Un projet",
            support_format="collectif" if n < COLLECTIVE else "individuel",
            action_keys=rng.sample(keys, 2),
            days_requested=Decimal("3"),
            days_granted=Decimal("3"),
            amount_granted=0,
            submitted_at=now - timedelta(days=60, minutes=n),
            decided_at=now - timedelta(days=30, minutes=n),
        )
        for n, organisation in enumerate(organisations)
    )
    statuses = [SupportStatus.TO_ASSIGN, SupportStatus.RUNNING, SupportStatus.DONE]
    actors = Organisation.objects.bulk_create(
        Organisation(
            kind=OrganisationKind.SUPPORT_STRUCTURE, name=f"Structure {n}", slug=f"structure-{n}"
        )
        for n in range(ACTORS)
    )
    Provider.objects.bulk_create(Provider(organisation=a, days_per_quarter=20) for a in actors)
    Place.objects.bulk_create(
        Place(
            organisation=a,
            name=f"Lieu {n}",
            slug=f"lieu-{n}",
            commune_name="Commune",
            postal_code="44000",
            address="1 rue",
            latitude=46.5 + rng.random() * 1.5,
            longitude=-1.5 + rng.random() * 0.9,
            is_published=True,
            association_support=",".join(["", *rng.sample(codes, min(3, len(codes))), ""]),
        )
        for n, a in enumerate(actors)
    )
    supports = Support.objects.bulk_create(
        Support(
            application=a,
            status=SupportStatus.TO_ASSIGN if n < COLLECTIVE else rng.choice(statuses),
            support_format=a.support_format,
            days_granted=Decimal("3"),
            action_keys=a.action_keys,
            actor=None if n < COLLECTIVE else actors[n % ACTORS],
            result={
                "axes": [
                    {"key": f"axe-{i}", "name": f"Axe {i}", "before": 30 + i, "after": 45 + i}
                    for i in range(7)
                ]
            }
            if n % 10 == 0
            else {},
        )
        for n, a in enumerate(applications)
    )
    SessionLog.objects.bulk_create(
        SessionLog(
            support=s,
            held_on=today - timedelta(days=10),
            duration=Decimal("3.5"),
            days=Decimal("0.5"),
        )
        for s in supports[COLLECTIVE::3]
    )
    staff = User.objects.create_superuser(email="equipe@example.org", password="x" * 20)
    return staff, calls, supports


def time_it(label, request, target, runs=RUNS, check=None):
    request()  # warm up
    queries = []
    # An execute wrapper, not CaptureQueriesContext: a request through the test client
    # resets connection.queries when it starts.
    with connection.execute_wrapper(
        lambda execute, sql, *a: queries.append(sql) or execute(sql, *a)
    ):
        request()
    walls, cpus = [], []
    result = None
    for _run in range(runs):
        cpu, start = time.process_time(), time.perf_counter()
        result = request()
        walls.append((time.perf_counter() - start) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
        if check:
            check(result)
    print(
        f"  {label:<46} {len(queries):3d} queries   wall p50 {statistics.median(walls):7.2f}"
        f"  p95 {percentile(walls, 95):7.2f}  max {max(walls):7.2f} ms   "
        f"CPU p50 {statistics.median(cpus):7.2f}  p95 {percentile(cpus, 95):7.2f} ms   ({target})"
    )
    return result


def _ok(response):
    assert response.status_code == 200, response.status_code


def main():
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        start = time.perf_counter()
        staff, calls, supports = build()
        print(
            f"{connection.vendor}: {Support.objects.count()} supports "
            f"({Support.objects.filter(support_format='collectif').count()} collective), "
            f"{Provider.objects.count()} providers, {SessionLog.objects.count()} sessions, "
            f"built in {time.perf_counter() - start:.1f} s; load average {load()}"
        )
        client = Client()
        client.force_login(staff)
        time_it(
            "reference: team home /gestion/",
            lambda: client.get("/gestion/"),
            "yardstick",
            check=_ok,
        )
        individual = supports[COLLECTIVE + 7]
        found = time_it(
            "matching: candidates(one support)",
            lambda: support_matching.candidates(individual),
            "target ≤ 100 ms",
        )
        print(f"    {len(found)} candidates")
        suggestions = time_it(
            f"cohorts: suggest({COLLECTIVE} collective dossiers)",
            lambda: support_cohorts.suggest(calls[0]),
            "target ≤ 2 s",
            runs=max(RUNS // 5, 3),
        )
        print(
            f"    {len(suggestions)} cohorts, {sum(s.size for s in suggestions)} dossiers grouped"
        )
        time_it(
            "dashboard /fonds/gestion/tableau-de-bord/",
            lambda: client.get("/fonds/gestion/tableau-de-bord/"),
            "target p95 ≤ 100 ms",
            check=_ok,
        )
        time_it(
            "dashboard, one call",
            lambda: client.get("/fonds/gestion/tableau-de-bord/", {"appel": calls[1].slug}),
            "target p95 ≤ 100 ms",
            check=_ok,
        )
        print(f"  load average after: {load()}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
