from django.core.management.base import BaseCommand

from ressourcerie.testimonials.services import purge_contact_messages


class Command(BaseCommand):
    help = "Supprime les messages relayés aux associations depuis plus de 12 mois."

    def handle(self, *args, **options):
        deleted = purge_contact_messages(days=365)
        self.stdout.write(f"{deleted} message(s) supprimé(s).")
