from django.core.management.base import BaseCommand

from ressourcerie.core import search


class Command(BaseCommand):
    help = "Rebuild the site search index from every registered content type."

    def add_arguments(self, parser):
        parser.add_argument(
            "--type", action="append", dest="types", help="Only this type key (repeatable)."
        )

    def handle(self, *args, types=None, **options):
        counts = search.rebuild(types=types)
        for key, count in counts.items():
            self.stdout.write(f"{key}: {count}")
        self.stdout.write(self.style.SUCCESS(f"{sum(counts.values())} entries indexed."))
