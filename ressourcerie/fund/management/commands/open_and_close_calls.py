"""Daily, just after midnight (Paris): open the published calls whose opening date has come,
close the open calls past their closing date (docs/deployment.md)."""

from django.core.management.base import BaseCommand

from ressourcerie.fund.services import calls


class Command(BaseCommand):
    help = (
        "Ouvre les appels du fonds publiés dont la date d'ouverture est arrivée et clôt les "
        "appels ouverts dont la date de clôture est passée (historique : « automatique »)."
    )

    def handle(self, *args, **options):
        moved = calls.open_and_close_calls()
        for call in moved:
            self.stdout.write(f"{call.title} : {call.get_status_display()}")
        self.stdout.write(f"{len(moved)} appel(s) changé(s) d'état.")
