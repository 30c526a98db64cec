from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ressourcerie.toolbox.importers import load_catalogue_file

SEED = Path(__file__).resolve().parents[2] / "seed" / "catalogue.json"


class Command(BaseCommand):
    help = (
        "Importe un catalogue d'outils, de besoins et de guides (JSON, voir docs/opendata.md). "
        "Idempotent : les entrées sont créées ou mises à jour par leur adresse courte (slug)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file", nargs="?", help="fichier JSON (par défaut : le catalogue livré)"
        )
        parser.add_argument("--quiet-rows", action="store_true", help="n'afficher que le bilan")

    def handle(self, *args, file=None, quiet_rows=False, **options):
        report = load_catalogue_file(file or SEED)
        if report.error:
            raise CommandError(report.summary())
        if not quiet_rows:
            for row in report.rows:
                if row.action != "unchanged" or options["verbosity"] > 1:
                    reason = f" — {row.reason}" if row.reason else ""
                    self.stdout.write(f"{row.kind} {row.slug} : {row.action}{reason}")
        self.stdout.write(report.summary())
