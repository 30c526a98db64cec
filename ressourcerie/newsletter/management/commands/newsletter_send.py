from django.core.management.base import BaseCommand

from ressourcerie.newsletter import sending
from ressourcerie.newsletter.models import Edition, EditionStatus


class Command(BaseCommand):
    help = "Envoie, dans ce processus, ce qui reste des éditions en cours d'envoi."

    def add_arguments(self, parser):
        parser.add_argument("--edition", type=int, help="Une seule édition (sinon toutes).")

    def handle(self, *args, **options):
        ids = (
            [options["edition"]]
            if options["edition"]
            else list(
                Edition.objects.filter(status=EditionStatus.SENDING).values_list("pk", flat=True)
            )
        )
        for edition_id in ids:
            report = sending.send_pending(edition_id)
            self.stdout.write(
                f"edition {edition_id}: sent {report.sent}, failed {report.failed}, "
                f"deferred {report.deferred}, finished {report.finished}"
                + (f", interrupted: {report.interrupted}" if report.interrupted else "")
            )
