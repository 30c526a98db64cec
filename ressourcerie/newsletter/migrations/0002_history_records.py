"""Status machines: the consent record becomes the subscriber's history (who, when, from,
to, why) and editions get their own history table. Existing consent rows keep their date
(``created_at`` renamed ``at``); their target status is derived from the action."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

TARGET_OF_ACTION = {"subscribe": "pending", "confirm": "confirmed", "unsubscribe": "unsubscribed"}


def backfill_to_status(apps, schema_editor):
    ConsentRecord = apps.get_model("newsletter", "ConsentRecord")
    for action, status in TARGET_OF_ACTION.items():
        ConsentRecord.objects.filter(action=action).update(to_status=status)


class Migration(migrations.Migration):
    dependencies = [
        ("newsletter", "0001_subscribers_editions_deliveries"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField(model_name="consentrecord", old_name="created_at", new_name="at"),
        migrations.AlterModelOptions(
            name="consentrecord",
            options={"ordering": ["at", "pk"], "verbose_name": "trace de consentement"},
        ),
        migrations.AddField(
            model_name="consentrecord",
            name="from_status",
            field=models.CharField(blank=True, max_length=30),
        ),
        migrations.AddField(
            model_name="consentrecord",
            name="to_status",
            field=models.CharField(default="", max_length=30),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="consentrecord",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="consentrecord",
            name="reason",
            field=models.CharField(blank=True, max_length=500),
        ),
        migrations.AlterField(
            model_name="consentrecord",
            name="action",
            field=models.CharField(
                choices=[
                    ("subscribe", "Inscription"),
                    ("confirm", "Confirmation"),
                    ("update", "Changement de préférences"),
                    ("unsubscribe", "Désinscription"),
                    ("bounce", "Adresse en échec"),
                ],
                max_length=20,
            ),
        ),
        migrations.AlterField(
            model_name="consentrecord",
            name="wording_version",
            field=models.CharField(blank=True, max_length=20),
        ),
        migrations.RunPython(backfill_to_status, migrations.RunPython.noop),
        migrations.CreateModel(
            name="EditionTransition",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("from_status", models.CharField(blank=True, max_length=30)),
                ("to_status", models.CharField(max_length=30)),
                ("at", models.DateTimeField(auto_now_add=True)),
                ("reason", models.CharField(blank=True, max_length=500)),
                (
                    "actor",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "edition",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="transitions",
                        to="newsletter.edition",
                    ),
                ),
            ],
            options={
                "verbose_name": "changement d'état d'une édition",
                "ordering": ["at", "pk"],
                "abstract": False,
            },
        ),
    ]
