import json

import pytest

from ressourcerie.core import moderation
from ressourcerie.core.models import ModerationStatus
from ressourcerie.toolbox.importers import import_catalogue, load_catalogue_file
from ressourcerie.toolbox.models import Guide, Need, Replacement, Tool

pytestmark = pytest.mark.django_db

SMALL = {
    "needs": [
        {"slug": "reunions", "name": "Se réunir à distance", "parent": "communiquer"},
        {"slug": "communiquer", "name": "Communiquer", "parent": None},
    ],
    "tools": [
        {
            "slug": "jitsi-meet",
            "name": "Jitsi Meet",
            "pitch": "Visioconférence sans compte.",
            "website": "https://jitsi.org/jitsi-meet/",
            "licence": "Apache-2.0",
            "price": "gratuit",
            "hosting": ["editeur", "auto-hebergeable"],
            "data_location": "ue",
            "difficulty": "debutant",
            "platforms": ["web"],
            "needs": ["reunions"],
            "replaces": [{"slug": "zoom", "reason": "Sans compte."}],
        },
        {
            "slug": "zoom",
            "name": "Zoom",
            "pitch": "Visioconférence propriétaire.",
            "website": "https://zoom.us",
            "licence": "LicenseRef-proprietary",
            "price": "freemium",
            "proprietary_reference": True,
            "needs": ["reunions"],
        },
    ],
    "guides": [
        {
            "slug": "ag-a-distance",
            "title": "Une AG à distance",
            "summary": "Pas à pas.",
            "body": "1. Créez le salon.",
            "tools": ["jitsi-meet"],
            "needs": ["reunions"],
        },
    ],
}


def test_imports_needs_tools_replacements_and_guides():
    report = import_catalogue(SMALL)
    assert report.applied and not report.skipped
    assert report.count("created", "tool") == 2
    jitsi = Tool.objects.get(slug="jitsi-meet")
    assert jitsi.is_free_software and jitsi.is_published
    assert not Tool.objects.get(slug="zoom").is_free_software
    assert Replacement.objects.get(tool=jitsi).replaced.slug == "zoom"
    assert Need.objects.get(slug="reunions").parent.slug == "communiquer"
    assert list(Guide.objects.get().tools.all()) == [jitsi]


def test_imported_tools_and_guides_are_published_with_their_history_row():
    import_catalogue(SMALL)
    for obj in [*Tool.objects.all(), Guide.objects.get()]:
        [row] = moderation.history(obj)
        assert (row.from_status, row.to_status) == ("", ModerationStatus.PUBLISHED)
        assert row.actor is None and "import" in row.reason
        assert obj.published_at is not None
    import_catalogue(SMALL)  # unchanged entries write no second row
    assert len(moderation.history(Tool.objects.get(slug="zoom"))) == 1


def test_reimport_is_idempotent():
    import_catalogue(SMALL)
    report = import_catalogue(SMALL)
    assert report.count("created") == 0 and report.count("updated") == 0
    assert report.count("unchanged") == 5


def test_changed_entry_is_updated_and_reported():
    import_catalogue(SMALL)
    changed = json.loads(json.dumps(SMALL))
    changed["tools"][0]["pitch"] = "Réunions vidéo sans compte."
    report = import_catalogue(changed)
    row = next(r for r in report.rows if r.slug == "jitsi-meet")
    assert row.action == "updated" and "pitch" in row.reason
    assert Tool.objects.get(slug="jitsi-meet").pitch == "Réunions vidéo sans compte."


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("licence", "GPL-ish", "licence"),
        ("price", "pas cher", "prix"),
        ("website", "javascript:alert(1)", "site web"),
        ("pitch", "x" * 201, "200"),
        ("slug", "Pas Un Slug", "adresse courte"),
        ("needs", ["inconnu"], "besoin"),
    ],
)
def test_bad_rows_are_skipped_with_a_french_reason(field, value, reason):
    data = json.loads(json.dumps(SMALL))
    data["tools"][1][field] = value
    report = import_catalogue(data)
    assert report.applied
    skipped = report.skipped
    assert len(skipped) == 1 and reason in skipped[0].reason
    assert Tool.objects.filter(slug="jitsi-meet").exists()


def test_not_a_catalogue_is_refused_whole(tmp_path):
    path = tmp_path / "x.json"
    path.write_text("[1, 2, 3]")
    assert "pas un catalogue" in load_catalogue_file(path).error
    path.write_bytes(b"\xff\xfe{")
    assert "UTF-8" in load_catalogue_file(path).error
    path.write_text("{ broken")
    assert "JSON invalide" in load_catalogue_file(path).error
    assert Tool.objects.count() == 0


def test_shipped_catalogue_loads_with_enough_real_tools():
    from ressourcerie.toolbox.management.commands.import_tools import SEED

    report = load_catalogue_file(SEED)
    assert report.applied and report.skipped == [], report.skipped
    tools = Tool.objects.filter(proprietary_reference=False)
    assert Tool.objects.count() >= 150
    assert tools.filter(is_free_software=True).count() >= 100
    assert Guide.objects.count() >= 10
    for need in Need.objects.filter(parent__isnull=False):
        assert need.tools.filter(is_free_software=True).exists(), need.slug
    assert all(t.website.startswith("https://") for t in Tool.objects.exclude(website=""))


def test_newsletter_block_lists_tools_published_in_the_period():
    from datetime import timedelta

    from django.utils import timezone

    from ressourcerie.newsletter import blocks

    import_catalogue(SMALL)
    today = timezone.localdate()
    items = blocks.get("nouveaux-outils").builder(today - timedelta(days=7), today, None)
    assert [i.title for i in items] == ["Jitsi Meet"]  # the proprietary reference is left out
    assert items[0].url == "/outils/jitsi-meet/"
    assert (
        blocks.get("nouveaux-outils").builder(
            today - timedelta(days=30), today - timedelta(days=8), None
        )
        == []
    )


@pytest.mark.parametrize("fmt", ["PNG", "GIF"])  # GIF: logos often come that way
def test_logo_uploaded_in_admin_is_reencoded_small(settings, tmp_path, fmt):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from ressourcerie.toolbox.admin import ToolAdminForm

    import_catalogue(SMALL)
    tool = Tool.objects.get(slug="jitsi-meet")
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 1200), "green").save(buffer, format=fmt)
    form = ToolAdminForm(instance=tool)
    form.cleaned_data = {"logo": SimpleUploadedFile(f"l.{fmt.lower()}", buffer.getvalue())}
    logo = form.clean_logo()
    assert Image.open(io.BytesIO(logo.read())).size == (256, 256)
    assert logo.name == "jitsi-meet.webp"
