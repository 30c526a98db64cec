from django.core.management.base import BaseCommand

from ressourcerie.newsletter import services


class Command(BaseCommand):
    help = "Efface les abonnés non confirmés (7 j), en échec (90 j), désinscrits (3 ans)."

    def handle(self, *args, **options):
        result = services.purge()
        self.stdout.write(", ".join(f"{k}: {v}" for k, v in result.items()))
