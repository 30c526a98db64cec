"""Expire waiting-list offers past their time and offer the seat to the next person
(every 15 minutes, docs/deployment.md)."""

from django.core.management.base import BaseCommand

from ressourcerie.agenda import services


class Command(BaseCommand):
    help = "Expire les places proposées non acceptées et les propose aux suivants."

    def handle(self, *args, **options):
        count = services.expire_offers()
        self.stdout.write(f"{count} offre(s) expirée(s).")
