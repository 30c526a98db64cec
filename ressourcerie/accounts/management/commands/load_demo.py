"""Build a small believable demo world. Local use only: passwords are documented in README."""

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from ressourcerie.accounts.models import Membership, Role, User
from ressourcerie.core.models import (
    Commune,
    ModerationStatus,
    Organisation,
    OrganisationChange,
    OrganisationCorrection,
    OrganisationKind,
    OrganisationVerification,
    VerificationStatus,
)
from ressourcerie.core.organisations import services as organisation_services

DEMO_PASSWORD = "demo-ressourcerie"  # noqa: S105 - documented, local demo only
DOMAIN = "demo.ressourcerie.local"

# (e-mail local part, display name, role, organisation slug or None, staff)
DEMO_USERS = [
    ("admin", "Alex Admin", Role.ADMINISTRATOR, None, True),
    ("moderation", "Morgane Modération", Role.MODERATOR, None, True),
    ("relecture", "Rémi Relecteur", Role.REVIEWER, None, False),
    ("asso", "Awa Diallo", Role.MEMBER, "les-crampons-nantais", False),
    ("structure", "Sami Benali", Role.EDITOR, "pana-loire-atlantique", False),
    ("reconditionneur", "Inès Moreau", Role.REFURBISHER, "atelier-du-reemploi", False),
    # A member of an association the team has not verified yet: the waiting page, the queue.
    ("epicerie", "Lou Bernard", Role.MEMBER, "epicerie-solidaire-du-marais", False),
    ("entraide", "Noé Garnier", Role.MEMBER, "entraide-numerique-angoumoisine", False),
]

# (name, kind, INSEE, sector, members, budget, RNA, SIRET, verified, description)
DEMO_ORGANISATIONS = [
    (
        "Les Crampons nantais",
        "association",
        "44109",
        "sport",
        "51-200",
        "10k-50k",
        "W442001234",
        "",
        True,
        "Club de football amateur de quartier : 180 licenciés, une école de foot et des "
        "tournois solidaires chaque printemps.",
    ),
    (
        "Théâtre des Tilleuls",
        "association",
        "49007",
        "culture",
        "11-50",
        "0-10k",
        "W491002345",
        "",
        True,
        "Troupe de théâtre amateur d'Angers : deux créations par an et des ateliers pour les "
        "collégiens.",
    ),
    (
        "Épicerie solidaire du Marais",
        "association",
        "85191",
        "social",
        "51-200",
        "50k-200k",
        "W852003456",
        "",
        False,
        "Épicerie sociale de La Roche-sur-Yon tenue par 60 bénévoles ; aide alimentaire et "
        "ateliers cuisine.",
    ),
    (
        "Les Jardins partagés de la Sarthe",
        "association",
        "72181",
        "environment",
        "11-50",
        "0-10k",
        "W723004567",
        "",
        True,
        "Jardins collectifs et compostage de quartier au Mans, animations pour les écoles.",
    ),
    (
        "Entraide numérique angoumoisine",
        "association",
        "16015",
        "education",
        "1-10",
        "0-10k",
        "W161005678",
        "",
        False,
        "Permanences d'aide aux démarches en ligne pour les habitants d'Angoulême.",
    ),
    (
        "PANA Loire-Atlantique",
        "support_structure",
        "44184",
        "economy",
        "11-50",
        "200k-1m",
        "",
        "",
        True,
        "Point d'appui au numérique associatif : diagnostics, ateliers et accompagnement des "
        "associations du département.",
    ),
    (
        "Atelier du réemploi",
        "support_structure",
        "44109",
        "economy",
        "11-50",
        "200k-1m",
        "",
        "",
        True,
        "Atelier d'insertion qui collecte, efface et reconditionne des ordinateurs pour les "
        "associations et les familles.",
    ),
]


class Command(BaseCommand):
    help = "Charge des données de démonstration (usage local uniquement)."

    @transaction.atomic
    def handle(self, *args, **options):
        if not Commune.objects.exists():
            call_command("load_territories", stdout=self.stdout)
        now = timezone.now()
        organisations = {}
        for (
            name,
            kind,
            insee,
            sector,
            members,
            budget,
            rna,
            siret,
            verified,
            text,
        ) in DEMO_ORGANISATIONS:
            organisation, _created = Organisation.objects.update_or_create(
                slug=slugify(name),
                defaults={
                    "name": name,
                    "kind": OrganisationKind(kind),
                    "commune": Commune.objects.get(insee=insee),
                    "sector": sector,
                    "members_band": members,
                    "budget_band": budget,
                    "rna": rna,
                    "siret": siret,
                    "description": text,
                    "verified_at": now if verified else None,
                    "verification_status": VerificationStatus.VERIFIED
                    if verified
                    else VerificationStatus.PENDING,
                },
            )
            organisations[organisation.slug] = organisation
        for local, display_name, role, org_slug, staff in DEMO_USERS:
            user, created = User.objects.get_or_create(
                email=f"{local}@{DOMAIN}",
                defaults={"display_name": display_name, "email_confirmed_at": now},
            )
            if created:
                user.set_password(DEMO_PASSWORD)
            user.is_staff = staff
            user.is_superuser = role == Role.ADMINISTRATOR
            user.save()
            Membership.objects.get_or_create(
                user=user, organisation=organisations.get(org_slug), role=role
            )
        users = {u.email.split("@")[0]: u for u in User.objects.filter(email__endswith=DOMAIN)}
        self._pending_work(organisations, users)
        self.stdout.write(
            self.style.SUCCESS(
                f"Démo prête : {len(organisations)} organisations, {len(DEMO_USERS)} comptes "
                f"(mot de passe « {DEMO_PASSWORD} »)."
            )
        )

    def _pending_work(self, organisations, users):
        """Something for each role to do: an association waiting for the team's check, one
        whose check waits for a detail, and a pending contribution of each of core's
        moderated types (each part's demo loader adds its own)."""
        entraide = organisations["entraide-numerique-angoumoisine"]
        if not entraide.verification_history.exists():
            Organisation.objects.filter(pk=entraide.pk).update(
                verification_status=VerificationStatus.INCOMPLETE
            )
            OrganisationVerification.objects.create(
                organisation=entraide,
                from_status=VerificationStatus.PENDING,
                to_status=VerificationStatus.INCOMPLETE,
                actor=users["moderation"],
                reason="Le numéro RNA ne correspond à aucune association d'Angoulême : "
                "vérifiez-le sur votre récépissé de déclaration.",
            )
        theatre = organisations["theatre-des-tilleuls"]
        if not OrganisationCorrection.objects.filter(organisation=theatre).exists():
            organisation_services.report_correction(
                organisation=theatre,
                user=users["asso"],
                message="La troupe répète maintenant salle Chemellier, et plus au centre Jean-Vilar.",
            )
        crampons = organisations["les-crampons-nantais"]
        waiting = OrganisationChange.objects.filter(
            organisation=crampons, moderation_status=ModerationStatus.SUBMITTED
        )
        if not waiting.exists():
            organisation_services.propose_organisation_change(
                organisation=crampons,
                actor=users["asso"],
                changes={"website": "https://crampons-nantais.example.org"},
            )
