"""Support fund benchmark (issue #15): the committee page and the team's list of dossiers.

In a throw-away test database on the current DATABASE_URL (SQLite by default): 5 calls with a
3-criterion grid and 2 priorities, 2,000 submitted dossiers of 2,000 associations in 10
departments (diagnostic snapshots of 7 axes and 10 actions), 30 reviewers in 10 groups, two
submitted reviews per dossier, some decisions and labels. Then the pages are requested through
the test client as the team: the committee of one call (400 dossiers ranked) and the list
(first page, then filtered). Prints wall p50/p95/max (ms) over BENCH_RUNS runs (default 100),
and this process's CPU time per request (``time.process_time``: on a shared machine the wall
time follows the load, the CPU time much less; on SQLite it includes the queries, on PostgreSQL
the server's share is not in it). Target: p95 ≤ 50 ms on SQLite and PostgreSQL. Not a test:
figures only.
"""

import cProfile
import os
import pstats
import random
import re
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
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from ressourcerie.accounts.models import Membership, Role, User  # noqa: E402
from ressourcerie.core.models import (  # noqa: E402
    Commune,
    Department,
    Organisation,
    OrganisationKind,
    Region,
)
from ressourcerie.fund.models import (  # noqa: E402
    Application,
    ApplicationStatus,
    Call,
    CallStatus,
    Label,
    PriorityCriterion,
    PriorityKind,
    Review,
    ReviewCriterion,
    ReviewerGroup,
    ReviewScore,
)

RUNS = int(os.environ.get("BENCH_RUNS", 100))
CALLS, APPLICATIONS, REVIEWERS = 5, 2000, 30
S = ApplicationStatus


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def build():
    rng = random.Random(15)
    today = timezone.localdate()
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
            postal_codes=f"{d.code}000",
            population=rng.choice([800, 2500, 12000, 90000]),
            latitude=47.0,
            longitude=-1.5,
        )
        for d in departments
        for n in range(10)
    ]
    calls = []
    for index in range(CALLS):
        call = Call.objects.create(
            title=f"Appel {index}",
            slug=f"appel-{index}",
            summary="Un appel",
            text="Texte",
            status=CallStatus.OPEN,
            budget_euros=200000,
            budget_days=Decimal("400"),
            day_value_euros=500,
            opens_on=today - timedelta(days=10),
            closes_on=today + timedelta(days=30),
        )
        for order, title in enumerate(("Pertinence", "Faisabilité", "Impact")):
            ReviewCriterion.objects.create(
                call=call, title=title, weight=order + 1, levels=["x"] * 6, order=order
            )
        PriorityCriterion.objects.create(
            call=call, kind=PriorityKind.RURAL, parameter="5000", label="Rural", weight=3
        )
        PriorityCriterion.objects.create(
            call=call, kind=PriorityKind.PRIORITY_AXIS, parameter="axe-2", label="Axe 2", weight=2
        )
        calls.append(call)
    users = User.objects.bulk_create(
        User(email=f"relecteur{n}@example.org", display_name=f"Relecteur {n}")
        for n in range(REVIEWERS)
    )
    Membership.objects.bulk_create(Membership(user=u, role=Role.REVIEWER) for u in users)
    groups = []
    for index, department in enumerate(departments):
        group = ReviewerGroup.objects.create(name=f"Groupe {department.code}", order=index)
        group.departments.add(department)
        group.members.add(*users[index * 3 : index * 3 + 3])
        groups.append(group)
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
            {"key": f"action-{i}", "title": f"Action {i}", "axis_key": "axe-1", "axis_name": "A"}
            for i in range(10)
        ],
    }
    statuses = [S.IN_REVIEW] * 6 + [S.SUBMITTED, S.WAITING_LIST, S.REFUSED, S.TO_CORRECT]
    applications = Application.objects.bulk_create(
        Application(
            call=calls[n % CALLS],
            organisation=organisation,
            reference=f"2026-B{n:05d}",
            status=rng.choice(statuses),
            diagnostic_snapshot=snapshot,
            project="Un projet",
            support_format="individuel",
            action_keys=["action-1", "action-2"],
            days_requested=Decimal("3"),
            submitted_at=timezone.now() - timedelta(minutes=n),
            group=groups[(n % len(communes)) // 10],
            priority_points=rng.choice([0, 2, 3, 5]),
        )
        for n, organisation in enumerate(organisations)
    )
    criteria = {c.pk: list(c.criteria.all()) for c in calls}
    reviews = Review.objects.bulk_create(
        Review(
            application=a,
            reviewer=reviewer,
            recommendation="favorable",
            submitted_at=timezone.now(),
        )
        for a in applications
        for reviewer in rng.sample(list(a.group.members.all()), 2)
    )
    ReviewScore.objects.bulk_create(
        ReviewScore(review=r, criterion=c, score=rng.randint(0, 5))
        for r in reviews
        for c in criteria[r.application.call_id]
    )
    label = Label.objects.create(name="à relancer")
    label.applications.add(*applications[::7])
    staff = User.objects.create_superuser(email="equipe@example.org", password="x" * 20)
    return staff, calls, departments, label


def queries(request) -> str:
    """How many queries one request makes, by table (the profile behind the figures)."""
    with CaptureQueriesContext(connection) as captured:
        request()
    tables: dict[str, int] = {}
    for query in captured.captured_queries:
        found = re.search(r'FROM\s+"?(\w+)', query["sql"])
        name = found.group(1) if found else query["sql"][:20]
        tables[name] = tables.get(name, 0) + 1
    detail = ", ".join(f"{n} {t}" for t, n in sorted(tables.items(), key=lambda i: -i[1]))
    return f"{len(captured.captured_queries)} queries ({detail})"


def time_it(label, request):
    request()  # warm up
    print(f"  {label}: {queries(request)}")
    if os.environ.get("BENCH_PROFILE"):  # where 20 requests spend their time (top 25)
        profiler = cProfile.Profile()
        profiler.runcall(lambda: [request() for _n in range(20)])
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
    figures, cpu = [], []
    for _run in range(RUNS):
        start, start_cpu = time.perf_counter(), time.process_time()
        response = request()
        cpu.append((time.process_time() - start_cpu) * 1000)
        figures.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.status_code
    print(
        f"  {label:<42} wall p50 {statistics.median(figures):6.2f} ms   "
        f"p95 {percentile(figures, 95):6.2f} ms   max {max(figures):6.2f} ms   "
        f"(target p95 ≤ 50 ms)\n"
        f"  {'':<42} cpu  p50 {statistics.median(cpu):6.2f} ms   "
        f"p95 {percentile(cpu, 95):6.2f} ms   (this process; the database server's "
        f"time on PostgreSQL is not in it)   load {os.getloadavg()[0]:.1f}"
    )


def main():
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        start = time.perf_counter()
        staff, calls, departments, label = build()
        print(
            f"{connection.vendor}: {Application.objects.count()} dossiers, "
            f"{Review.objects.count()} reviews, {ReviewScore.objects.count()} scores "
            f"built in {time.perf_counter() - start:.1f} s"
        )
        client = Client()
        client.force_login(staff)
        call = calls[0]
        # The same machine's yardstick: the team's home page, which lists links only.
        time_it("reference: team home /gestion/", lambda: client.get("/gestion/"))
        time_it(
            f"committee /fonds/gestion/appels/{call.slug}/comite/",
            lambda: client.get(f"/fonds/gestion/appels/{call.slug}/comite/"),
        )
        time_it(
            "staff list /fonds/gestion/dossiers/", lambda: client.get("/fonds/gestion/dossiers/")
        )
        time_it(
            "staff list, page 20",
            lambda: client.get("/fonds/gestion/dossiers/", {"page": 20}),
        )
        time_it(
            "staff list, call + department + label",
            lambda: client.get(
                "/fonds/gestion/dossiers/",
                {"call": call.pk, "department": departments[0].code, "label": label.pk},
            ),
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
