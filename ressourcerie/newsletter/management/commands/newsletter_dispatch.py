from django.core.management.base import BaseCommand

from ressourcerie.newsletter import dispatch


class Command(BaseCommand):
    help = (
        "À lancer chaque minute : démarre les éditions programmées, reprend les envois interrompus."
    )

    def handle(self, *args, **options):
        started = dispatch.dispatch_due()
        self.stdout.write(f"editions: {started}")
