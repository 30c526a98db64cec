from django.core.management.base import BaseCommand

from ressourcerie.fund.services import instruction


class Command(BaseCommand):
    help = (
        "Relance une fois, deux jours avant la date limite, les experts qui n'ont pas encore "
        "rendu leur avis sur un dossier du fonds d'accompagnement."
    )

    def handle(self, *args, **options):
        count = instruction.remind_experts()
        self.stdout.write(f"{count} expert(s) relancé(s).")
