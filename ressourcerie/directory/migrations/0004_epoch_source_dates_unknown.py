"""Source dates of "1970-01-01" (the epoch some hub files write for "unknown") become no
date: the stale-listings page showed "1/01/1970" as a last confirmation."""

import datetime

from django.db import migrations


def forget_epoch_dates(apps, schema_editor):
    Place = apps.get_model("directory", "Place")
    Place.objects.filter(source_updated_on__lt=datetime.date(2000, 1, 1)).update(
        source_updated_on=None
    )


class Migration(migrations.Migration):
    dependencies = [("directory", "0003_claim_transitions")]

    operations = [migrations.RunPython(forget_epoch_dates, migrations.RunPython.noop)]
