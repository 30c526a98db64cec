"""E-mail registered people the day before each session (daily, docs/deployment.md)."""

from django.core.management.base import BaseCommand

from ressourcerie.agenda import housekeeping


class Command(BaseCommand):
    help = "Envoie le rappel de la veille aux inscrits des séances de demain."

    def handle(self, *args, **options):
        count = housekeeping.send_reminders()
        self.stdout.write(f"{count} rappel(s) envoyé(s).")
