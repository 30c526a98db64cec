from django.core.management.base import BaseCommand

from ressourcerie.fund.services import support_results


class Command(BaseCommand):
    help = (
        "Chaque jour : invite les associations dont l'accompagnement est terminé à refaire "
        "l'autodiagnostic (rappel après 7 jours, nouvelle invitation après 6 mois) et écrit "
        "le résultat mesuré (avant/après par axe) dès qu'un diagnostic refait existe."
    )

    def handle(self, *args, **options):
        counts = support_results.run_daily()
        self.stdout.write(
            f"{counts.invited} invitation(s), {counts.reminded} rappel(s), "
            f"{counts.measured} résultat(s) mesuré(s), {counts.lasting_invited} invitation(s) "
            f"à six mois, {counts.lasting_measured} résultat(s) à six mois."
        )
