"""Ten believable testimonials for the demo (local use only; production starts empty).

Run after ``load_demo`` (organisations and accounts) and ``import_tools`` (catalogue)."""

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from ressourcerie.accounts.models import User
from ressourcerie.core import search
from ressourcerie.core.models import ModerationStatus, Organisation
from ressourcerie.testimonials import services
from ressourcerie.testimonials.models import Testimonial, TestimonialTool, ToolRole
from ressourcerie.toolbox import selectors as toolbox_selectors

AUTHOR = "asso@demo.ressourcerie.local"
# The story the demo member has sent and the team has not read yet.
PENDING = {
    "title": "Des inscriptions en ligne pour la saison de foot",
    "problem": "Les fiches d'inscription papier se perdaient entre le club et les parents.",
    "actions": "Un formulaire en ligne hébergé en France, relié à un tableur partagé.",
    "results": "Les inscriptions de septembre ont pris une semaine au lieu d'un mois.",
    "difficulties": "Certains parents n'ont pas d'adresse e-mail : on garde une fiche papier.",
    "advice": "Testez le formulaire avec deux ou trois parents avant de l'envoyer à tous.",
    "cost_note": "",
    "cost_amount": None,
    "time_spent": "Deux soirées",
}

# (association slug, anonymous, title, before, after, actors, cost, amount, time, problem,
#  actions, results, difficulties, advice, contact)
STORIES = [
    (
        "les-crampons-nantais",
        False,
        "Nos licences et plannings quittent Google Drive pour Nextcloud",
        ["google-drive"],
        ["nextcloud"],
        ["pana-loire-atlantique"],
        "0 € : espace offert par un hébergeur associatif",
        0,
        "3 mois, deux soirées par mois",
        "Les fiches de licence, les plannings d'entraînement et les photos des tournois étaient "
        "dans cinq comptes Google personnels. Quand un éducateur partait, on perdait tout.",
        "Le PANA nous a aidés à choisir un hébergeur du collectif CHATONS. Nous avons ouvert un "
        "espace Nextcloud au nom du club, créé un dossier par équipe et fait **deux ateliers** "
        "d'une heure avec les éducateurs.",
        "Tout est au même endroit, au nom du club. Les parents reçoivent un lien de partage "
        "pour les photos, sans créer de compte.",
        "Les premières semaines, certains continuaient à envoyer des pièces jointes.",
        "- Nommer une personne référente\n- Migrer équipe par équipe, pas tout d'un coup",
        True,
    ),
    (
        "les-crampons-nantais",
        False,
        "Des réunions de bureau en visio sans compte avec Jitsi Meet",
        ["zoom"],
        ["jitsi-meet"],
        [],
        "Gratuit",
        0,
        "Une soirée",
        "Nos réunions Zoom gratuites étaient coupées au bout de 40 minutes, en plein vote.",
        "Nous utilisons une instance Jitsi Meet d'un hébergeur associatif. Le lien de la "
        "réunion est toujours le même et figure dans l'agenda du club.",
        "Des réunions de bureau complètes, sans installation pour les bénévoles.",
        "Au-delà de 15 personnes caméra allumée, la qualité baisse : on coupe les caméras.",
        "Testez le lien la veille avec la personne la moins à l'aise.",
        False,
    ),
    (
        "theatre-des-tilleuls",
        False,
        "Fini les 40 courriels pour fixer une répétition",
        ["doodle"],
        ["framadate"],
        [],
        "Gratuit",
        0,
        "Dix minutes",
        "Fixer une date de répétition avec 25 comédiens prenait des dizaines de courriels, et "
        "Doodle affichait des publicités.",
        "Un sondage Framadate par mois, envoyé sur la liste de la troupe.",
        "La date est fixée en deux jours au lieu d'une semaine.",
        "",
        "Fermez le sondage à une date annoncée d'avance.",
        True,
    ),
    (
        "theatre-des-tilleuls",
        True,
        "Notre lettre aux spectateurs avec Listmonk",
        ["mailchimp"],
        ["listmonk"],
        [],
        "60 € par an d'hébergement",
        60,
        "Un week-end pour l'installation",
        "Mailchimp devenait payant au-delà de 500 contacts et stockait nos adresses hors d'Europe.",
        "Un bénévole informaticien a installé Listmonk sur le serveur de la troupe ; nous avons "
        "importé les contacts qui avaient donné leur accord.",
        "Une lettre par création, 800 abonnés, des données chez nous.",
        "Il faut quelqu'un pour les mises à jour du serveur.",
        "Si personne ne sait administrer un serveur, demandez à un CHATON de l'héberger.",
        False,
    ),
    (
        "epicerie-solidaire-du-marais",
        False,
        "Le planning des 60 bénévoles dans Grist au lieu d'Excel",
        ["excel"],
        ["grist"],
        ["pana-loire-atlantique"],
        "Gratuit (version hébergée)",
        0,
        "6 semaines",
        "Le planning des permanences était un fichier Excel envoyé chaque semaine : plusieurs "
        "versions circulaient et des créneaux restaient vides.",
        "Avec l'aide du PANA, nous avons construit un tableau Grist partagé : une ligne par "
        "créneau, chaque bénévole s'inscrit depuis son téléphone.",
        "Plus aucun créneau oublié depuis trois mois ; la coordinatrice gagne deux heures par "
        "semaine.",
        "Les bénévoles les plus âgés ont eu besoin d'un accompagnement individuel.",
        "Gardez une version papier affichée au local pendant la transition.",
        True,
    ),
    (
        "epicerie-solidaire-du-marais",
        True,
        "Quitter WhatsApp pour Signal dans l'équipe de collecte",
        ["whatsapp"],
        ["signal"],
        [],
        "Gratuit",
        0,
        "Un mois",
        "Le groupe WhatsApp mélangeait vie privée et collecte, et certains refusaient d'y "
        "donner leur numéro.",
        "Nous avons créé un groupe Signal réservé à la collecte, avec un lien d'invitation "
        "affiché au local.",
        "Les deux tiers de l'équipe sont passés sur Signal ; les autres reçoivent un SMS.",
        "Tout le monde ne quitte pas WhatsApp : il faut accepter une période double.",
        "",
        False,
    ),
    (
        "les-jardins-partages-de-la-sarthe",
        False,
        "Nos comptes rendus dans LibreOffice, partagés dans Nextcloud",
        ["microsoft-365"],
        ["libreoffice", "nextcloud"],
        [],
        "0 € de licence",
        0,
        "2 mois",
        "L'abonnement Microsoft 365 offert à l'association arrivait à son terme.",
        "LibreOffice sur les ordinateurs du local et un dossier Nextcloud partagé pour les "
        "comptes rendus et les plans des parcelles.",
        "Plus d'abonnement à renouveler ; les fichiers s'ouvrent partout.",
        "Quelques mises en page de tableaux ont dû être refaites.",
        "Enregistrez au format ODF, et exportez en PDF pour diffusion.",
        True,
    ),
    (
        "les-jardins-partages-de-la-sarthe",
        True,
        "Un formulaire d'inscription aux ateliers sans Google Forms",
        ["google-forms"],
        ["yakforms"],
        [],
        "Gratuit",
        0,
        "Une heure",
        "Les inscriptions aux ateliers compost passaient par Google Forms ; des familles "
        "s'inquiétaient de leurs données.",
        "Un formulaire Yakforms par atelier, avec une question de consentement claire.",
        "Autant d'inscriptions qu'avant, et plus de questions sur les données.",
        "",
        "Supprimez les réponses après l'atelier.",
        False,
    ),
    (
        "entraide-numerique-angoumoisine",
        False,
        "Des ordinateurs reconditionnés sous Linux Mint pour nos permanences",
        ["windows"],
        ["linux-mint"],
        ["atelier-du-reemploi"],
        "150 € pour quatre postes",
        150,
        "Une journée d'installation",
        "Nos trois vieux ordinateurs sous Windows ne démarraient plus qu'en dix minutes.",
        "L'Atelier du réemploi nous a fourni quatre postes reconditionnés sous Linux Mint ; "
        "nous avons installé Firefox et LibreOffice et créé une session invitée.",
        "Les permanences reprennent à l'heure ; les usagers ne voient presque pas la "
        "différence pour les démarches en ligne.",
        "Une imprimante ancienne n'a pas de pilote.",
        "Vérifiez vos périphériques avant de changer de système.",
        True,
    ),
    (
        "entraide-numerique-angoumoisine",
        True,
        "Un seul gestionnaire de mots de passe pour l'équipe",
        ["lastpass"],
        ["keepassxc"],
        [],
        "Gratuit",
        0,
        "Deux après-midis",
        "Les mots de passe des comptes de l'association étaient notés dans un carnet et dans "
        "un compte LastPass personnel.",
        "Un coffre KeePassXC partagé dans un dossier synchronisé, protégé par une phrase de "
        "passe connue de deux personnes.",
        "Chaque compte a maintenant un mot de passe unique.",
        "Il faut penser à transmettre la phrase de passe quand le bureau change.",
        "Écrivez la procédure de passation dans le classeur du bureau.",
        False,
    ),
]


class Command(BaseCommand):
    help = "Charge 10 témoignages d'exemple (démonstration uniquement, après load_demo)."

    @transaction.atomic
    def handle(self, *args, **options):
        slugs = {s[0] for s in STORIES}
        organisations = {o.slug: o for o in Organisation.objects.filter(slug__in=slugs)}
        if len(organisations) != len(slugs):
            raise CommandError("Lancez d'abord « manage.py load_demo » (associations de démo).")
        if not toolbox_selectors.published_tools().exists():
            call_command("import_tools", quiet_rows=True, verbosity=0)
        tools = {t.slug: t for t in toolbox_selectors.published_tools()}
        actors = {o.slug: o for o in Organisation.objects.filter(kind="support_structure")}
        author = User.objects.filter(email=AUTHOR).first()
        now = timezone.now()
        created = 0
        for index, story in enumerate(STORIES):
            (slug, anonymous, title, before, after, helpers, cost, amount, time_spent,
             problem, actions, results, difficulties, advice, contact) = story  # fmt: skip
            organisation = organisations[slug]
            testimonial, was_created = Testimonial.objects.update_or_create(
                is_example=True,
                title=title,
                defaults={
                    "organisation": organisation,
                    "display_mode": "anonymous" if anonymous else "named",
                    "consent_names": not anonymous,
                    "sector": organisation.sector,
                    "members_band": organisation.members_band,
                    "department": organisation.commune.department
                    if organisation.commune_id
                    else None,
                    "problem": problem,
                    "actions": actions,
                    "results": results,
                    "difficulties": difficulties,
                    "advice": advice,
                    "cost_note": cost,
                    "cost_amount": amount,
                    "time_spent": time_spent,
                    "contact_opt_in": contact,
                    # Seed data, not a submission: published directly, like the catalogue.
                    "moderation_status": ModerationStatus.PUBLISHED,
                    "submitted_by": author,
                    "submitted_at": now,
                    "published_at": now - timezone.timedelta(days=7 * index),
                },
            )
            created += was_created
            TestimonialTool.objects.filter(testimonial=testimonial).delete()
            TestimonialTool.objects.bulk_create(
                [
                    TestimonialTool(testimonial=testimonial, tool=tools[s], role=ToolRole.BEFORE)
                    for s in before
                    if s in tools
                ]
                + [
                    TestimonialTool(testimonial=testimonial, tool=tools[s], role=ToolRole.AFTER)
                    for s in after
                    if s in tools
                ]
            )
            testimonial.actors.set([actors[s] for s in helpers if s in actors])
            search.index_object(testimonial)
        pending = self._pending(author, organisations)
        self.stdout.write(
            self.style.SUCCESS(
                f"Témoignages d'exemple : {len(STORIES)} ({created} créés), marqués « Exemple » ; "
                f"{pending} en attente de modération."
            )
        )

    def _pending(self, author, organisations) -> int:
        """One story waiting in the moderation queue (#18 item 11), submitted the way a
        member submits, so the team's queue and the author's "Mes contributions" show it."""
        if author is None:
            return 0
        organisation = author.memberships.filter(organisation__isnull=False).first()
        organisation = organisation.organisation if organisation else None
        if organisation is None:
            return 0
        existing = Testimonial.objects.filter(title=PENDING["title"], is_example=True)
        if not existing.exists():
            testimonial = services.submit_testimonial(
                user=author,
                organisation=organisation,
                data={
                    **PENDING,
                    "display_mode": "named",
                    "consent_names": True,
                    "sector": organisation.sector,
                    "members_band": organisation.members_band,
                    "department": organisation.commune.department
                    if organisation.commune_id
                    else None,
                },
            )
            Testimonial.objects.filter(pk=testimonial.pk).update(is_example=True)
        return Testimonial.objects.filter(
            is_example=True, moderation_status=ModerationStatus.SUBMITTED
        ).count()
