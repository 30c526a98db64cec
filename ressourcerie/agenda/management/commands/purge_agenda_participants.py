"""Anonymise participants of events over for AGENDA_PARTICIPANT_RETENTION_DAYS (nightly)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from ressourcerie.agenda import housekeeping


class Command(BaseCommand):
    help = "Anonymise les participants des événements terminés depuis le délai de conservation."

    def handle(self, *args, **options):
        count = housekeeping.purge_participants(days=settings.AGENDA_PARTICIPANT_RETENTION_DAYS)
        self.stdout.write(f"{count} inscription(s) anonymisée(s).")
