import pytest
from django.core.management import CommandError, call_command

from ressourcerie.core import search
from ressourcerie.core.models import ModerationStatus, ModerationTransition
from ressourcerie.testimonials.models import Testimonial
from tests.factories import CommuneFactory, DepartmentFactory, RegionFactory

pytestmark = pytest.mark.django_db

COMMUNES = [
    ("44109", "Nantes", "44", "52"),
    ("44184", "Saint-Herblain", "44", "52"),
    ("49007", "Angers", "49", "52"),
    ("85191", "La Roche-sur-Yon", "85", "52"),
    ("72181", "Le Mans", "72", "52"),
    ("16015", "Angoulême", "16", "75"),
]


@pytest.fixture
def demo_world():
    """The communes load_demo needs (so it does not load the whole gazetteer), then load_demo."""
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
    call_command("import_tools", quiet_rows=True, verbosity=0)


def test_demo_needs_the_demo_organisations():
    with pytest.raises(CommandError, match="load_demo"):
        call_command("load_testimonials_demo", verbosity=0)


def test_demo_testimonials_are_examples_linked_to_real_tools_and_idempotent(client, demo_world):
    call_command("load_testimonials_demo", verbosity=0)
    call_command("load_testimonials_demo", verbosity=0)
    # #18 item 11: one story waits for the team (submitted like a member's, with history).
    (pending,) = Testimonial.objects.filter(moderation_status=ModerationStatus.SUBMITTED)
    assert pending.submitted_by.email == "asso@demo.ressourcerie.local"
    assert ModerationTransition.objects.filter(
        object_id=str(pending.pk), to_status=ModerationStatus.SUBMITTED
    ).exists()
    testimonials = Testimonial.objects.exclude(pk=pending.pk)
    assert 8 <= testimonials.count() <= 12
    assert all(t.is_example and t.is_published for t in testimonials)
    assert all(t.tools_before and t.tools_after for t in testimonials)
    assert testimonials.filter(display_mode="anonymous").exists()
    nextcloud_page = client.get("/outils/nextcloud/").content.decode()
    assert "Nos licences et plannings quittent Google Drive" in nextcloud_page
    assert search.find("Nextcloud", types=["testimonial"]).total >= 2
    story = testimonials.get(title__startswith="Nos licences")
    assert "Exemple" in client.get(story.get_absolute_url()).content.decode()
    assert "Nos licences" in client.get("/associations/pana-loire-atlantique/").content.decode()
    assert client.get("/temoignages/").context["total"] == testimonials.count()
