"""Daily: ask each listing unconfirmed for 6 months whether it is still current.

Idempotent (a place reminded in the last 6 months is skipped), so a timer may run it daily
or twice; ``--batch-size`` spreads a large first run over several days.
"""

from django.core.management.base import BaseCommand

from ressourcerie.directory import services


class Command(BaseCommand):
    help = "Envoie les rappels « votre fiche est-elle à jour ? » (tous les 6 mois par lieu)."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=200)
        parser.add_argument(
            "--dry-run", action="store_true", help="Compter sans rien envoyer ni enregistrer."
        )

    def handle(self, *args, batch_size, dry_run, **options):
        report = services.send_place_reminders(batch_size=max(1, batch_size), dry_run=dry_run)
        prefix = "[essai à blanc] " if dry_run else ""
        self.stdout.write(
            f"{prefix}{report.due} fiche(s) à relancer dans ce lot : "
            f"{report.sent} rappel(s) envoyé(s), {report.without_address} sans adresse e-mail."
        )
