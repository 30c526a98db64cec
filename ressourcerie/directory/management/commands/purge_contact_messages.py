"""Daily: delete messages relayed to actors more than 12 months ago."""

from django.core.management.base import BaseCommand

from ressourcerie.directory import services


class Command(BaseCommand):
    help = "Efface les messages transmis aux acteurs il y a plus de 12 mois."

    def handle(self, *args, **options):
        deleted = services.purge_contact_messages()
        self.stdout.write(f"{deleted} message(s) effacé(s).")
