"""Daily: delete the files of refused, without-follow-up and withdrawn dossiers
FUND_DOCUMENT_RETENTION_YEARS after the decision (or the withdrawal)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ressourcerie.fund.services import applying


class Command(BaseCommand):
    help = (
        "Supprime les documents (et pièces jointes des messages) des dossiers refusés, classés "
        "sans suite ou retirés, FUND_DOCUMENT_RETENTION_YEARS ans (5 par défaut) après la "
        "décision ou le retrait. Les dossiers eux-mêmes sont conservés."
    )

    def add_arguments(self, parser):
        parser.add_argument("--years", type=int, default=None)
        parser.add_argument("--dry-run", action="store_true", help="Compter sans rien supprimer.")

    def handle(self, *args, years, dry_run, **options):
        years = settings.FUND_DOCUMENT_RETENTION_YEARS if years is None else years
        if years < 1:
            raise CommandError("La durée de conservation doit être d'au moins 1 an.")
        if dry_run:
            count = applying.purgeable_applications(years=years).count()
            self.stdout.write(
                f"{count} dossier(s) dont les documents sont à supprimer "
                "(essai : rien n'a été supprimé)."
            )
            return
        dossiers, files = applying.purge_documents(years=years)
        self.stdout.write(f"{files} fichier(s) supprimé(s) dans {dossiers} dossier(s).")
