"""Load a questionnaire file (default: the one shipped with the platform). Idempotent."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ressourcerie.diagnostic import services
from ressourcerie.diagnostic.errors import QuestionnaireDataError

DEFAULT = Path(__file__).resolve().parents[2] / "seed" / "questionnaire-v1.json"


class Command(BaseCommand):
    help = "Charge un questionnaire d'autodiagnostic depuis un fichier JSON (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(DEFAULT))
        parser.add_argument(
            "--no-publish",
            action="store_true",
            help="Laisser en brouillon même si aucune version n'est publiée.",
        )

    def handle(self, *args, path, no_publish, **options):
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CommandError(f"Fichier illisible : {exc}") from exc
        try:
            questionnaire, outcome = services.load_questionnaire(data=data, publish=not no_publish)
        except QuestionnaireDataError as exc:
            raise CommandError(str(exc)) from exc
        messages = {
            "created": "créée",
            "updated": "mise à jour",
            "unchanged": "inchangée (des réponses existent déjà)",
        }
        self.stdout.write(
            f"Version {questionnaire.version} {messages[outcome]} ; statut : "
            f"{questionnaire.get_status_display()}."
        )
