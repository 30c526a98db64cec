"""Demo data of the toolbox (#18 item 11), so that every role's pages show something real:
a few tools verified by the team, a tool proposal and a correction waiting in the moderation
queue, both by the demo association member. Run after ``load_demo`` and ``import_tools``;
running it again changes nothing."""

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from ressourcerie.accounts.models import User
from ressourcerie.core.models import ModerationStatus
from ressourcerie.toolbox import services
from ressourcerie.toolbox.forms import ToolProposalForm
from ressourcerie.toolbox.models import Need, Tool, ToolCorrection

AUTHOR = "asso@demo.ressourcerie.local"
VERIFIED = ["nextcloud", "cryptpad", "jitsi-meet", "libreoffice", "keepassxc", "paheko"]
PROPOSAL = {
    "name": "Docmost",
    "pitch": "Un wiki libre et collaboratif pour la documentation de l'association : pages, "
    "espaces par équipe, édition à plusieurs en même temps.",
    "website": "https://docmost.com",
    "licence": "AGPL-3.0-only",
    "price": "gratuit",
    "price_note": "Gratuit si vous l'installez ; hébergement à prévoir.",
    "data_location": "inconnu",
    "difficulty": "intermediaire",
    "description": "Une alternative à Notion ou Confluence à installer sur son serveur.",
}
CORRECTION = {
    "field": "price_note",
    "proposed_value": "Gratuit jusqu'à 2 Go chez Frama.space pour les associations.",
    "source": "https://www.frama.space/",
}


class Command(BaseCommand):
    help = "Outils vérifiés, une proposition d'outil et une correction en attente (démonstration)."

    @transaction.atomic
    def handle(self, *args, **options):
        author = User.objects.filter(email=AUTHOR).first()
        if author is None:
            raise CommandError("Lancez d'abord « manage.py load_demo » (comptes de démo).")
        if not Tool.objects.filter(moderation_status=ModerationStatus.PUBLISHED).exists():
            call_command("import_tools", quiet_rows=True, verbosity=0)
        verified = 0
        for tool in Tool.objects.filter(slug__in=VERIFIED, verified_on__isnull=True):
            services.mark_tool_verified(tool=tool, user=None)
            verified += 1
        if not Tool.objects.filter(name__iexact=PROPOSAL["name"]).exists():
            need = Need.objects.filter(slug="wiki-notes").first()
            form = ToolProposalForm(
                data={**PROPOSAL, "needs": [need.pk] if need else [], "website_hp": ""}
            )
            if not form.is_valid():
                raise CommandError(f"Proposition de démo refusée : {form.errors.as_text()}")
            services.propose_tool(form=form, user=author)
        nextcloud = Tool.objects.filter(slug="nextcloud").first()
        if (
            nextcloud
            and not ToolCorrection.objects.filter(
                tool=nextcloud, submitted_by=author, moderation_status=ModerationStatus.SUBMITTED
            ).exists()
        ):
            services.propose_correction(tool=nextcloud, user=author, **CORRECTION)
        self.stdout.write(
            self.style.SUCCESS(
                f"Boîte à outils de démo : {verified} outils marqués vérifiés, une proposition "
                "et une correction en attente de modération."
            )
        )
