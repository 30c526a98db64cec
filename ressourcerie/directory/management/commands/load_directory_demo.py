from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ressourcerie.directory.importers import import_file

DEMO_FILE = (
    settings.BASE_DIR
    / "tests"
    / "fixtures"
    / "mediation-numerique"
    / "2023-07-11-charente-nouvelle-aquitaine.json"
)


class Command(BaseCommand):
    help = "Données de démonstration de l'annuaire : les 188 lieux réels de Charente (2023)."

    def handle(self, *args, **options):
        if not DEMO_FILE.is_file():
            raise CommandError(f"Fichier de démonstration introuvable : {DEMO_FILE}")
        report = import_file(
            data=DEMO_FILE.read_bytes(), file_name=DEMO_FILE.name, dataset="demo-charente-2023"
        )
        self.stdout.write(report.summary())
        if report.errors:
            raise CommandError("Import refusé.")
