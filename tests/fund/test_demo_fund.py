"""load_fund_demo: demo diagnostics, a reviewer group, an open call and a closed call whose
decisions went through the real services, so that the open-data exports have rows."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command

from ressourcerie.fund import exports
from ressourcerie.fund.models import (
    Application,
    ApplicationStatus,
    Call,
    CallStatus,
    Support,
    SupportStatus,
)
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
    assert len(rows) == 3
    # Part 2: supports at three stages, the completed one measured by a second diagnostic.
    stages = sorted(Support.objects.values_list("status", flat=True))
    assert stages == sorted([SupportStatus.OFFERED, SupportStatus.RUNNING, SupportStatus.DONE])
    done = Support.objects.get(status=SupportStatus.DONE)
    assert done.result["axes"] and done.rediagnostic_invited_at is None
    assert Support.objects.get(status=SupportStatus.RUNNING).sessions.count() == 2
    assert support_impact.impact_records()  # rows (figures suppressed under 5)
    from .opendata_validation import validate

    assert validate(exports.decisions_csv(), "scdl-subventions-2.1.1.schema.json", tmp_path) == []
    call_command("load_fund_demo", verbosity=0)  # idempotent
    assert Call.objects.count() == 2 and Application.objects.count() == 4
