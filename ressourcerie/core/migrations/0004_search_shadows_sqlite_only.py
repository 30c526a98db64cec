"""The search shadows feed SQLite's FTS5 table only: empty them on other engines.

On PostgreSQL they doubled each index row and pushed the tsvector out to TOAST, so that a
search read three times as many pages as it needs (see core/search/indexer.py)."""

from django.db import migrations


def empty_shadows(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        return
    SearchEntry = apps.get_model("core", "SearchEntry")
    SearchEntry.objects.exclude(title_shadow="", keywords_shadow="", body_shadow="").update(
        title_shadow="", keywords_shadow="", body_shadow=""
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0003_organisation_correction")]

    operations = [migrations.RunPython(empty_shadows, migrations.RunPython.noop)]
