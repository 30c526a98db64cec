from django.core.management.base import BaseCommand

from ressourcerie.accounts.services import purge_unconfirmed_accounts


class Command(BaseCommand):
    help = "Supprime les comptes jamais confirmés après 7 jours (à lancer chaque jour)."

    def handle(self, *args, **options):
        count = purge_unconfirmed_accounts()
        self.stdout.write(f"{count} compte(s) non confirmé(s) supprimé(s).")
