from django.core.management.base import BaseCommand

from ressourcerie.fund.services import support_offers


class Command(BaseCommand):
    help = (
        "Clôt les propositions d'accompagnement restées sans réponse après "
        "FUND_OFFER_ANSWER_DAYS jours ; quand personne n'a accepté, l'accompagnement revient "
        "« à attribuer » et l'équipe est prévenue par courriel."
    )

    def handle(self, *args, **options):
        count = support_offers.expire_offers()
        self.stdout.write(f"{count} proposition(s) expirée(s).")
