"""load_fund_demo: demo diagnostics, a reviewer group, an open call and a closed call whose
decisions went through the real services, so that the open-data exports have rows."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from ressourcerie.accounts.models import User
from ressourcerie.agenda.models import Event
from ressourcerie.fund import demo_cohort, exports
from ressourcerie.fund.models import (
    Application,
    ApplicationStatus,
    Call,
    CallStatus,
    CheckStatus,
    Cohort,
    CohortEvent,
    CohortStatus,
    SessionLog,
    Support,
    SupportStatus,
)
from ressourcerie.fund.selectors import support_cohorts as cohort_selectors
from ressourcerie.fund.selectors import support_impact
from tests.factories import CommuneFactory, DepartmentFactory, RegionFactory

pytestmark = pytest.mark.django_db

COMMUNES = [
    ("44109", "Nantes", "44", "52", 320_000),
    ("44184", "Saint-Herblain", "44", "52", 48_000),
    ("49007", "Angers", "49", "52", 155_000),
    ("85191", "La Roche-sur-Yon", "85", "52", 57_000),
    ("72181", "Le Mans", "72", "52", 145_000),
    ("16015", "Angoulême", "16", "75", 42_000),
    # The collective call's associations (fund/demo_cohort.py).
    ("16292", "Ruffec", "16", "75", 3_400),
    ("16374", "Soyaux", "16", "75", 10_000),
    ("16113", "La Couronne", "16", "75", 7_700),
    ("16102", "Cognac", "16", "75", 18_500),
    ("16070", "Chabanais", "16", "75", 1_600),
]


@pytest.fixture
def demo_world(settings):
    settings.FUND_GRANTOR_SIRET = "12345678900012"
    settings.FUND_GRANTOR_NAME = "Réseau de démonstration"
    for insee, name, department, region, population in COMMUNES:
        CommuneFactory(
            insee=insee,
            name=name,
            search_name=name.lower(),
            population=population,
            department=DepartmentFactory(
                code=department,
                name=f"Département {department}",
                region=RegionFactory(code=region, name=f"Région {region}"),
            ),
        )
    call_command("load_demo", verbosity=0)
    call_command("load_questionnaire", verbosity=0)


def test_the_demo_needs_the_other_demos_first():
    with pytest.raises(CommandError, match="load_demo"):
        call_command("load_fund_demo", verbosity=0)


def test_the_demo_has_an_open_call_and_decided_applications(demo_world, tmp_path):
    call_command("load_fund_demo", verbosity=0)
    assert Call.objects.get(slug="numerique-pour-tous-2027").status == CallStatus.OPEN
    closed = Call.objects.get(slug="premiers-pas-numeriques-2026")
    assert closed.status == CallStatus.CLOSED
    statuses = sorted(Application.objects.filter(call=closed).values_list("status", flat=True))
    # A third association accepted for the supports' demo (part 2).
    assert statuses == sorted(
        [
            ApplicationStatus.ACCEPTED,
            ApplicationStatus.ACCEPTED,
            ApplicationStatus.ACCEPTED_WITH_CONDITIONS,
            ApplicationStatus.REFUSED,
        ]
    )
    accepted = Application.objects.get(organisation__slug="theatre-des-tilleuls")
    assert accepted.group.name == "Pays de la Loire"  # routed at submission
    assert accepted.diagnostic_snapshot["axes"] and accepted.action_keys
    assert [t.to_status for t in accepted.transitions.all()] == [
        ApplicationStatus.SUBMITTED,
        ApplicationStatus.IN_REVIEW,
        ApplicationStatus.ACCEPTED,
    ]
    rows = list(csv.DictReader(io.StringIO(exports.decisions_csv())))
    assert len(rows) == 3 + 5  # and the collective call's five (demo_cohort)
    # Part 2: supports at three stages, the completed one measured by a second diagnostic.
    stages = sorted(
        Support.objects.filter(application__call=closed).values_list("status", flat=True)
    )
    assert stages == sorted([SupportStatus.OFFERED, SupportStatus.RUNNING, SupportStatus.DONE])
    done = Support.objects.get(application__call=closed, status=SupportStatus.DONE)
    assert done.result["axes"] and done.rediagnostic_invited_at is None
    running = Support.objects.get(application__call=closed, status=SupportStatus.RUNNING)
    assert running.sessions.count() == 2
    assert support_impact.impact_records()  # rows (figures suppressed under 5)
    from .opendata_validation import validate

    assert validate(exports.decisions_csv(), "scdl-subventions-2.1.1.schema.json", tmp_path) == []
    call_command("load_fund_demo", verbosity=0)  # idempotent
    assert Call.objects.count() == 3 and Application.objects.count() == 4 + 5


def test_the_demo_has_a_cohort_followed_by_the_demo_structure(demo_world, client):
    """A collective call in Charente: a confirmed cohort of three assigned to the demo
    structure, a session held (two present, who confirm it) and one planned in the agenda,
    and two dossiers the suggestions page proposes as a group."""
    call_command("load_fund_demo", verbosity=0)
    call = Call.objects.get(slug=demo_cohort.CALL_SLUG)
    cohort = Cohort.objects.get(call=call)
    names = sorted(cohort.supports.values_list("application__organisation__name", flat=True))
    assert len(names) == 3
    assert cohort.status == CohortStatus.RUNNING
    assert cohort.actor.slug == demo_cohort.STRUCTURE_SLUG
    session = SessionLog.objects.get(cohort=cohort)
    assert session.held_on == timezone.localdate()
    checks = session.checks.order_by("support__pk")
    assert sorted(c.attended for c in checks) == [False, True, True]
    assert checks.filter(status=CheckStatus.CONFIRMED).count() == 2
    planned = Event.objects.get(pk=CohortEvent.objects.get(cohort=cohort).event_id)
    assert planned.starts_at > timezone.now()
    assert set(planned.reserved_for.values_list("name", flat=True)) == set(names)
    [suggestion] = cohort_selectors.suggest(call)
    waiting = sorted(m.support.application.organisation.name for m in suggestion.members)
    assert len(waiting) == 2 and not set(waiting) & set(names)

    client.force_login(User.objects.get(email="admin@demo.ressourcerie.local"))
    page = client.get(reverse("fund:cohort_suggestions", args=[call.slug]))
    assert page.status_code == 200
    text = page.content.decode()
    assert demo_cohort.COHORT_NAME in text
    assert all(escape(name) in text for name in waiting)
    page = client.get(reverse("fund:cohort_detail", args=[call.slug, cohort.pk]))
    assert page.status_code == 200
    assert all(escape(name) in page.content.decode() for name in names)
    client.force_login(User.objects.get(email="structure@demo.ressourcerie.local"))
    listing = client.get(reverse("fund:actor_supports")).content.decode()
    assert all(escape(name) in listing for name in names)
    page = client.get(reverse("fund:cohort_actor", args=[cohort.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert all(escape(name) in text for name in names)
    assert escape(planned.title) in text

    call_command("load_fund_demo", verbosity=0)  # idempotent
    assert Cohort.objects.count() == 1 and SessionLog.objects.filter(cohort=cohort).count() == 1
    assert CohortEvent.objects.count() == 1
    assert Application.objects.filter(call=call).count() == 5
