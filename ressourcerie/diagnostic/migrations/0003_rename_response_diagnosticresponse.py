# The model "Response" clashed with the HTTP response every reader has in mind (#13). The
# table is renamed; its rows, and the answers and scores pointing to it, are kept.
from django.conf import settings
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("diagnostic", "0002_questionnaire_transitions"),
    ]

    operations = [
        migrations.RenameModel(old_name="Response", new_name="DiagnosticResponse"),
        migrations.RenameIndex(
            model_name="diagnosticresponse",
            new_name="diagnostic__complet_e5bfc8_idx",
            old_name="diagnostic__complet_6b0e0c_idx",
        ),
    ]
