from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ressourcerie.directory.importers import import_file


class Command(BaseCommand):
    help = "Importe un fichier de lieux (CSV ou JSON, standard de la médiation numérique)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--source", default="", help="Nom du jeu de données (défaut : fichier)")
        parser.add_argument("--dry-run", action="store_true", help="Essai à blanc")
        parser.add_argument("--details", action="store_true", help="Une ligne par lieu")

    def handle(self, *args, file, source, dry_run, details, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Fichier introuvable : {path}")
        report = import_file(
            data=path.read_bytes(), file_name=path.name, dataset=source, dry_run=dry_run
        )
        for error in report.errors[:50]:
            self.stderr.write(error)
        for row in report.rows:
            if details or row.outcome in {"skipped", "error"}:
                self.stdout.write(
                    f"  ligne {row.line} [{row.outcome}] {row.external_id} {row.name}"
                    + (f" — {row.reason}" if row.reason else "")
                )
        self.stdout.write(report.summary())
        if report.errors:
            raise CommandError("Import refusé.")
