"""Daily: delete diagnostics never finished and untouched for DIAGNOSTIC_ABANDONED_DAYS."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ressourcerie.diagnostic import services


class Command(BaseCommand):
    help = (
        "Supprime, avec leurs réponses, les autodiagnostics jamais terminés et sans activité "
        "depuis DIAGNOSTIC_ABANDONED_DAYS jours (180 par défaut). Les diagnostics terminés "
        "sont conservés."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None)
        parser.add_argument("--dry-run", action="store_true", help="Compter sans rien supprimer.")

    def handle(self, *args, days, dry_run, **options):
        days = settings.DIAGNOSTIC_ABANDONED_DAYS if days is None else days
        if days < 1:
            raise CommandError("Le nombre de jours doit être d'au moins 1.")
        count = services.purge_abandoned_responses(days=days, dry_run=dry_run)
        if dry_run:
            self.stdout.write(
                f"{count} diagnostic(s) abandonné(s) à supprimer (essai : rien n'a été supprimé)."
            )
        else:
            self.stdout.write(f"{count} diagnostic(s) abandonné(s) supprimé(s).")
