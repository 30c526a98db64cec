from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from ressourcerie.accounts.models import Membership, Role
from ressourcerie.core.models import ModerationStatus, Organisation, OrganisationKind
from ressourcerie.directory import services
from ressourcerie.directory.importers import import_file
from ressourcerie.directory.models import ContactMessage, Place, PlaceReport

DEMO_FILE = (
    settings.BASE_DIR
    / "tests"
    / "fixtures"
    / "mediation-numerique"
    / "2023-07-11-charente-nouvelle-aquitaine.json"
)

# Places each demo support structure manages, near its commune: (name suffix, offset in
# degrees north and east, kinds, services, association support, opening hours).
OWN_PLACES = [
    (
        "Espace numérique associatif",
        (0.004, -0.006),
        ",pana,mediation,",
        ",outils_quotidien,demarches,",
        ",site_web,rgpd,comptabilite,",
        "Mo-Fr 09:00-12:30,14:00-18:00; PH off",
    ),
    (
        "Permanence du centre social",
        (-0.012, 0.015),
        ",mediation,",
        ",outils_quotidien,",
        ",outils_collaboratifs,",
        "We 14:00-18:00; Sa 09:30-12:30",
    ),
]
REFURBISHER_KINDS = ",reconditionneur,collecte,"


class Command(BaseCommand):
    help = (
        "Données de démonstration de l'annuaire : les 188 lieux réels de Charente (2023), "
        "puis des lieux près de chaque structure de démonstration, qu'elle gère."
    )

    def handle(self, *args, **options):
        if not DEMO_FILE.is_file():
            raise CommandError(f"Fichier de démonstration introuvable : {DEMO_FILE}")
        report = import_file(
            data=DEMO_FILE.read_bytes(), file_name=DEMO_FILE.name, dataset="demo-charente-2023"
        )
        self.stdout.write(report.summary())
        if report.errors:
            raise CommandError("Import refusé.")
        self.stdout.write(self._structures_places())

    @transaction.atomic
    def _structures_places(self) -> str:
        structures = Organisation.objects.filter(
            kind=OrganisationKind.SUPPORT_STRUCTURE, commune__isnull=False
        ).select_related("commune")
        count = 0
        for structure in structures:
            commune = structure.commune
            refurbisher = structure.memberships.filter(role=Role.REFURBISHER).exists()
            for number, (suffix, (dlat, dlon), kinds, offered, support, hours) in enumerate(
                OWN_PLACES, start=1
            ):
                Place.objects.update_or_create(
                    slug=f"demo-{structure.slug}-{number}",
                    defaults={
                        "name": f"{suffix} — {structure.name}",
                        "summary": structure.description[:280],
                        "commune": commune,
                        "commune_name": commune.name,
                        "postal_code": (commune.postal_codes or "").split()[0]
                        if commune.postal_codes
                        else "",
                        "insee_code": commune.insee,
                        "address": "1 place de la Mairie",
                        "latitude": commune.latitude + dlat,
                        "longitude": commune.longitude + dlon,
                        "kinds": REFURBISHER_KINDS if refurbisher else kinds,
                        "services": offered,
                        "association_support": support,
                        "fees": ",gratuit,",
                        "opening_hours": hours,
                        "emails": [f"contact@{structure.slug}.demo.ressourcerie.local"],
                        "organisation": structure,
                        "source": "Démonstration",
                    },
                )
                count += 1
        self._activity()
        return f"Démo : {count} lieux gérés par {structures.count()} structures d'accompagnement."

    def _activity(self):
        """A pending edit, an error report and a relayed message on the Loire-Atlantique
        structure's first place, so that "Mes fiches" and moderation show something."""
        place = Place.objects.filter(slug="demo-pana-loire-atlantique-1").first()
        editor = Membership.objects.filter(
            organisation__slug="pana-loire-atlantique", role=Role.EDITOR
        ).first()
        member = Membership.objects.filter(
            organisation__kind=OrganisationKind.ASSOCIATION, role=Role.MEMBER
        ).first()
        if place is None or editor is None:
            return
        if not place.edits.filter(moderation_status=ModerationStatus.SUBMITTED).exists():
            services.propose_place_edit(
                place=place,
                user=editor.user,
                data={"opening_hours": "Mo-Fr 09:00-12:30,14:00-18:00; Sa 10:00-12:00; PH off"},
            )
        if not PlaceReport.objects.filter(place=place).exists():
            services.report_place_error(
                place=place, message="L'entrée se fait par la rue de derrière, côté parking."
            )
        if member is not None and not ContactMessage.objects.filter(place=place).exists():
            ContactMessage.objects.create(
                place=place,
                sender=member.user,
                organisation=member.organisation,
                subject="Un atelier sur le RGPD pour notre bureau ?",
                body="Bonjour, notre bureau aimerait un atelier d'une heure sur le RGPD.",
            )
