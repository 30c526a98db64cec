"""The demo data gives every role something to look at: an association waiting for the
team's check, one whose check waits for a detail, and pending contributions of core's
moderated types; loading twice adds nothing."""

import pytest
from django.core.management import call_command

from ressourcerie.core import moderation
from ressourcerie.core.models import Organisation, VerificationStatus
from ressourcerie.core.organisations import verification
from tests.factories import CommuneFactory, DepartmentFactory, RegionFactory

pytestmark = pytest.mark.django_db

COMMUNES = [
    ("44109", "Nantes", "44", "52"),
    ("44184", "Saint-Nazaire", "44", "52"),
    ("49007", "Angers", "49", "52"),
    ("85191", "La Roche-sur-Yon", "85", "52"),
    ("72181", "Le Mans", "72", "52"),
    ("16015", "Angoulême", "16", "75"),
]


@pytest.fixture
def demo():
    for insee, name, department, region in COMMUNES:
        CommuneFactory(
            insee=insee,
            name=name,
            search_name=name.lower(),
            department=DepartmentFactory(
                code=department,
                name=f"Département {department}",
                region=RegionFactory(code=region, name=f"Région {region}"),
            ),
        )
    call_command("load_demo", verbosity=0)


def test_demo_has_associations_to_verify_with_members(demo):
    queue = list(verification.verification_queue())
    statuses = {o.slug: o.verification_status for o in queue}
    assert statuses == {
        "epicerie-solidaire-du-marais": VerificationStatus.PENDING,
        "entraide-numerique-angoumoisine": VerificationStatus.INCOMPLETE,
    }
    assert all(o.memberships.exists() for o in queue)
    assert verification.pending_count()[0] == 1
    verified = Organisation.objects.filter(verified_at__isnull=False)
    assert set(verified.values_list("verification_status", flat=True)) == {
        VerificationStatus.VERIFIED
    }


def test_demo_has_a_pending_contribution_of_each_core_type_and_is_idempotent(demo):
    items, counts = moderation.pending_items()
    keys = {i.key for i in items}
    assert {"core.organisationcorrection", "core.organisationchange"} <= keys
    call_command("load_demo", verbosity=0)
    assert len(moderation.pending_items()[0]) == len(items)
    assert verification.verification_queue().count() == 2
