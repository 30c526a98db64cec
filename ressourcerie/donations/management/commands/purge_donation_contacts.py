from django.core.management.base import BaseCommand

from ressourcerie.donations import services

DEFAULT_DAYS = 365


class Command(BaseCommand):
    help = (
        "Efface les coordonnées des donateurs un an (par défaut) après la fin du parcours de "
        "leurs lots, et les offres jamais confirmées après ce délai."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=DEFAULT_DAYS)

    def handle(self, *args, days, **options):
        count = services.purge_contacts(older_than_days=days)
        self.stdout.write(f"{count} offre(s) purgée(s).")
