"""What the agenda adds to « Mon plan d'action » and what an invitation reads (#17 items 7, 8,
9): 5,000 upcoming events over 20 departments, each serving one or two of the seed's plan
actions; 2,000 associations (100 a department) with a kept plan of ten actions and two members
each (one opted in). Prints p50/p95 in ms of the plan page of a Charente association (ten
actions, five events attended) with the agenda's sources and with none registered (the page
as before), its number of queries, and of the invitation's reads for one department.
Runs in a throw-away test database (SQLite, or PostgreSQL with DATABASE_URL). Figures only.
"""

import json
import os
import random
import secrets
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
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

UPCOMING = 5_000
PER_DEPARTMENT = 100
RUNS = 40
SEED = Path(__file__).resolve().parent.parent / "ressourcerie/diagnostic/seed/questionnaire-v1.json"
DEPARTMENTS = [
    ("16", 45.6484, 0.1562), ("17", 46.1591, -1.1520), ("19", 45.2658, 1.7722),
    ("23", 46.1710, 1.8714), ("24", 45.1846, 0.7214), ("33", 44.8378, -0.5792),
    ("40", 43.8902, -0.4991), ("47", 44.2033, 0.6163), ("64", 43.2951, -0.3708),
    ("79", 46.3237, -0.4588), ("86", 46.5802, 0.3404), ("87", 45.8336, 1.2611),
    ("44", 47.2184, -1.5536), ("49", 47.4784, -0.5632), ("53", 48.0707, -0.7734),
    ("72", 48.0061, 0.1996), ("85", 46.6705, -1.4260), ("35", 48.1173, -1.6778),
    ("37", 47.3941, 0.6848), ("45", 47.9030, 1.9093),
]  # fmt: skip


counted: list[str] = []


def count_query(execute, sql, params, many, context):
    counted.append(sql)
    return execute(sql, params, many, context)


def timed(fn, runs=RUNS):
    """p50 and p95 of the wall time, then of this process's CPU time (on a shared machine
    the wall time mostly measures the wait for a core)."""
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


def populate():
    from ressourcerie.accounts.models import Membership, User
    from ressourcerie.agenda.models import Event, EventPlanAction, Registration
    from ressourcerie.core.models import Commune, Department, Organisation, Region
    from ressourcerie.diagnostic import selectors, services
    from ressourcerie.diagnostic.models import DiagnosticResponse, PlanAction

    questionnaire, _outcome = services.load_questionnaire(
        data=json.loads(SEED.read_text(encoding="utf-8"))
    )
    keys = [key for key, _title in selectors.plan_action_choices()]
    titles = dict(selectors.plan_action_choices())
    region = Region.objects.create(code="75", name="Région")
    communes = []
    for code, lat, lon in DEPARTMENTS:
        department = Department.objects.create(code=code, name=f"Département {code}", region=region)
        communes.append(
            Commune.objects.create(
                insee=f"{code}001",
                name=f"Chef-lieu {code}",
                search_name=f"chef-lieu {code}",
                department=department,
                postal_codes=f"{code}000",
                population=50_000,
                latitude=lat,
                longitude=lon,
            )
        )
    rng = random.Random(17)
    now = timezone.now()
    structure = Organisation.objects.create(
        kind="support_structure", name="Structure", slug="structure"
    )
    events, served = [], []
    for i in range(UPCOMING):
        commune = communes[i % len(communes)]
        start = (now + timedelta(days=rng.randint(1, 120))).replace(minute=0, second=0)
        online = rng.random() < 0.15
        served.append(rng.sample(keys, rng.choice([1, 2])))
        events.append(
            Event(
                title=f"Événement {i}",
                kind="atelier",
                attendance_mode="en_ligne" if online else "presentiel",
                commune=commune,
                address="Maison des associations",
                organiser=structure,
                publication="publie",
                starts_at=start,
                ends_at=start + timedelta(hours=3),
                department_code=commune.department.code,
                latitude=commune.latitude + rng.uniform(-0.3, 0.3),
                longitude=commune.longitude + rng.uniform(-0.3, 0.3),
            )
        )
    events = Event.objects.bulk_create(events, batch_size=2000)
    EventPlanAction.objects.bulk_create(
        (
            EventPlanAction(event=event, key=key)
            for event, keys_served in zip(events, served, strict=True)
            for key in keys_served
        ),
        batch_size=5000,
    )
    actions_of = {event.pk: keys_served for event, keys_served in zip(events, served, strict=True)}
    associations, responses, actions, users, memberships = [], [], [], [], []
    for index, commune in enumerate(communes):
        for n in range(PER_DEPARTMENT):
            associations.append(
                Organisation(
                    kind="association",
                    name=f"Association {index}-{n}",
                    slug=f"association-{index}-{n}",
                    commune=commune,
                )
            )
    associations = Organisation.objects.bulk_create(associations, batch_size=2000)
    for association in associations:
        responses.append(
            DiagnosticResponse(
                questionnaire=questionnaire,
                token_hash=secrets.token_hex(32),
                organisation=association,
                department=association.commune.department,
                completed_at=now,
            )
        )
    responses = DiagnosticResponse.objects.bulk_create(responses, batch_size=2000)
    for association, response in zip(associations, responses, strict=True):
        for rank, key in enumerate(rng.sample(keys, 10), start=1):
            actions.append(
                PlanAction(
                    organisation=association,
                    response=response,
                    key=key,
                    axis_key="axe",
                    axis_name="Axe",
                    title=titles[key],
                    rank=rank,
                )
            )
        for m in range(2):
            users.append(
                User(
                    email=f"{association.slug}-{m}@example.org",
                    email_confirmed_at=now,
                    event_invitations_opt_in=m == 0,
                )
            )
    PlanAction.objects.bulk_create(actions, batch_size=5000)
    users = User.objects.bulk_create(users, batch_size=2000)
    for i, user in enumerate(users):
        memberships.append(Membership(user=user, organisation=associations[i // 2], role="member"))
    Membership.objects.bulk_create(memberships, batch_size=5000)
    member, association = users[0], associations[0]
    member.set_password("motdepasse-solide-42")
    member.save()
    served = set(PlanAction.objects.filter(organisation=association).values_list("key", flat=True))
    attended = [e for e in events if set(actions_of[e.pk]) & served][:5]
    Registration.objects.bulk_create(
        Registration(
            event=event,
            email=f"membre{i}@example.org",
            organisation=association,
            status="inscrit",
            attendance="present",
        )
        for i, event in enumerate(attended)
    )
    return member, keys


def main():
    from ressourcerie.accounts import selectors as accounts
    from ressourcerie.agenda import plan_links
    from ressourcerie.diagnostic import selectors as diagnostic
    from ressourcerie.diagnostic.selectors import links

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        start = time.perf_counter()
        member, keys = populate()
        if connection.vendor == "postgresql":
            # As autovacuum does after such inserts: without statistics the planner takes
            # 5,000 rows for one and picks the wrong index (registrations by session).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        load = os.getloadavg()[0]
        print(
            f"{connection.vendor}: {UPCOMING} upcoming events, {PER_DEPARTMENT * 20} associations "
            f"with 10 kept actions, built in {time.perf_counter() - start:.0f} s; "
            f"load average {load:.1f}"
        )
        client = Client()
        client.force_login(member)
        kept = dict(links._sources)

        def plan_page():
            response = client.get("/autodiagnostic/mon-plan/")
            assert response.status_code == 200
            return response

        def invitation_reads():
            ids = diagnostic.associations_planning("16", keys[:2])
            return accounts.event_invitation_recipients(ids)

        print(
            f"{'case':<42} {'p50 ms':>8} {'p95 ms':>8} {'CPU p50':>8} {'CPU p95':>8} {'queries':>8}"
        )
        for name, sources in (
            ("plan page, agenda sources", kept),
            ("plan page, no source (as before)", {kind: [] for kind in kept}),
        ):
            links._sources.clear()
            links._sources.update(sources)
            with connection.execute_wrapper(count_query):
                counted.clear()
                body = plan_page().content.decode()
            p50, p95, cpu50, cpu95 = timed(plan_page)
            print(
                f"{name:<42} {p50:>8.1f} {p95:>8.1f} {cpu50:>8.1f} {cpu95:>8.1f} {len(counted):>8}"
            )
        links._sources.clear()
        links._sources.update(kept)
        assert "suivi le" in plan_page().content.decode() and "suivi le" not in body
        place = links.place_of(member.memberships.get().organisation)
        plan_keys = [a.key for a in diagnostic.association_plan(place.organisation)]
        for name, source in (
            ("source: upcoming near (10 actions)", plan_links.upcoming_for_plan),
            ("source: attended (10 actions)", plan_links.followed_for_plan),
        ):
            with CaptureQueriesContext(connection) as queries:
                source(place, plan_keys)
            p50, p95, cpu50, cpu95 = timed(lambda source=source: source(place, plan_keys))
            print(
                f"{name:<42} {p50:>8.1f} {p95:>8.1f} {cpu50:>8.1f} {cpu95:>8.1f} {len(queries):>8}"
            )
        with CaptureQueriesContext(connection) as queries:
            found = invitation_reads()
        p50, p95, cpu50, cpu95 = timed(invitation_reads)
        print(
            f"{'invitation reads, department 16, 2 actions':<42} {p50:>8.1f} {p95:>8.1f} "
            f"{cpu50:>8.1f} {cpu95:>8.1f} {len(queries):>8}"
        )
        print(f"  {len(found)} associations with an opted-in member")
        print(f"load average at the end {os.getloadavg()[0]:.1f}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
