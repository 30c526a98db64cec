# The team's list of dossiers is sorted by submission date, newest first (#15 measure).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("fund", "0004_session_attendance"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="application",
            index=models.Index(fields=["submitted_at", "id"], name="fund_application_list_order"),
        ),
    ]
