"""Demo data of the agenda: a dozen upcoming events of demo structures in several
departments — a series, a full one with a waiting list, an online one, a cancelled one.
Idempotent: the demo events are made again, dated from today."""

from datetime import datetime, time, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from ressourcerie.accounts.models import Membership, Role, User
from ressourcerie.agenda import services
from ressourcerie.agenda.models import Event, Publication, Status
from ressourcerie.core.models import Commune, Organisation, OrganisationKind
from ressourcerie.directory import selectors as directory

DOMAIN = "demo.ressourcerie.local"
# (slug, name, INSEE)
STRUCTURES = [
    ("numerique-en-charente", "Numérique en Charente", "16015"),
    ("tiers-lieu-du-maine", "Tiers-lieu du Maine", "72181"),
    ("pana-loire-atlantique", "PANA Loire-Atlantique", "44184"),
]
# (structure, title, kind, mode, INSEE, days from today, hour, sessions, capacity, themes)
EVENTS = [
    (
        "numerique-en-charente",
        "Atelier : tenir ses comptes avec un logiciel libre",
        "atelier",
        "presentiel",
        "16015",
        9,
        14,
        2,
        8,
        "gerer",
    ),
    (
        "numerique-en-charente",
        "Sensibilisation : protéger les données de vos adhérents",
        "sensibilisation",
        "presentiel",
        "16015",
        12,
        18,
        1,
        2,
        "gerer",
    ),
    (
        "numerique-en-charente",
        "Permanence numérique du mardi",
        "permanence",
        "presentiel",
        "16015",
        5,
        10,
        1,
        None,
        "",
    ),
    (
        "numerique-en-charente",
        "Formation : animer sa page d'association",
        "formation",
        "presentiel",
        "16102",
        20,
        9,
        1,
        12,
        "communiquer",
    ),
    (
        "pana-loire-atlantique",
        "Webinaire : se réunir en visio sans Zoom",
        "webinaire",
        "en_ligne",
        "44184",
        7,
        12,
        1,
        100,
        "communiquer",
    ),
    (
        "pana-loire-atlantique",
        "Formation des dirigeants bénévoles au numérique",
        "formation",
        "presentiel",
        "44109",
        14,
        9,
        3,
        15,
        "",
    ),
    (
        "pana-loire-atlantique",
        "Atelier : partager ses documents en équipe",
        "atelier",
        "mixte",
        "44184",
        16,
        14,
        1,
        10,
        "collaborer",
    ),
    (
        "pana-loire-atlantique",
        "Sensibilisation : les arnaques en ligne",
        "sensibilisation",
        "presentiel",
        "44109",
        25,
        18,
        1,
        30,
        "",
    ),
    (
        "tiers-lieu-du-maine",
        "Atelier : créer sa lettre d'information",
        "atelier",
        "presentiel",
        "72181",
        10,
        14,
        1,
        10,
        "communiquer",
    ),
    (
        "tiers-lieu-du-maine",
        "Permanence : vos questions numériques",
        "permanence",
        "presentiel",
        "72181",
        6,
        16,
        1,
        None,
        "",
    ),
    (
        "tiers-lieu-du-maine",
        "Webinaire : choisir un outil d'adhésion en ligne",
        "webinaire",
        "en_ligne",
        "72181",
        18,
        12,
        1,
        50,
        "gerer",
    ),
    (
        "tiers-lieu-du-maine",
        "Formation : sauvegarder les fichiers de l'association",
        "formation",
        "presentiel",
        "49007",
        22,
        9,
        1,
        12,
        "",
    ),
]


# The diagnostic plan's actions each event serves (keys of the published questionnaire's
# rules), so that « Mon plan d'action » and the invitations have something to show.
PLAN_ACTIONS = {
    "Atelier : tenir ses comptes avec un logiciel libre": ["comptabilite", "gestion-adherents"],
    "Sensibilisation : protéger les données de vos adhérents": ["rgpd", "securite-faible"],
    "Formation : animer sa page d'association": ["reseaux-dependance", "pas-de-site"],
    "Webinaire : se réunir en visio sans Zoom": ["visio"],
    "Formation des dirigeants bénévoles au numérique": ["competences-faibles", "strategie-faible"],
    "Atelier : partager ses documents en équipe": ["partage-fichiers", "collaboration-faible"],
    "Sensibilisation : les arnaques en ligne": ["mots-de-passe", "sauvegarde"],
    "Atelier : créer sa lettre d'information": ["lettre-info"],
    "Webinaire : choisir un outil d'adhésion en ligne": ["gestion-adherents"],
}


def _at(days, hour):
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


class Command(BaseCommand):
    help = "Données de démonstration de l'agenda : une douzaine d'événements à venir."

    @transaction.atomic
    def handle(self, *args, **options):
        staff = User.objects.filter(is_staff=True).order_by("pk").first()
        if staff is None:
            raise CommandError("Lancez d'abord load_demo (il faut un compte de l'équipe).")
        structures = {}
        for slug, name, insee in STRUCTURES:
            structure, _created = Organisation.objects.get_or_create(
                slug=slug,
                defaults={
                    "name": name,
                    "kind": OrganisationKind.SUPPORT_STRUCTURE,
                    "commune": Commune.objects.get(insee=insee),
                },
            )
            structures[slug] = structure
        editor = User.objects.filter(email=f"structure@{DOMAIN}").first()
        if editor is not None:
            Membership.objects.get_or_create(
                user=editor, organisation=structures["numerique-en-charente"], role=Role.EDITOR
            )
        Event.objects.filter(organiser__in=structures.values(), created_by=staff).delete()
        charente_place = directory.published_places().filter(postal_code="16000").first()
        made = {}
        for slug, title, kind, mode, insee, days, hour, count, capacity, theme in EVENTS:
            commune = Commune.objects.get(insee=insee)
            use_place = charente_place is not None and insee == "16015"
            data = {
                "organiser": structures[slug],
                "title": title,
                "description": "Un temps pratique, en petit groupe, pour repartir avec des "
                "outils libres et des habitudes simples.",
                "kind": kind,
                "themes": f",{theme}," if theme else "",
                "plan_actions": PLAN_ACTIONS.get(title, []),
                "audience": ",benevoles,dirigeants,",
                "attendance_mode": mode,
                "place": charente_place if use_place else None,
                "address": "" if use_place else "Maison des associations",
                "commune": commune,
                "online_url": "https://visio.example.org/demo" if mode != "presentiel" else "",
                "accessibility": "Salle de plain-pied, boucle magnétique sur demande.",
                "capacity": capacity,
            }
            sessions = [
                (_at(days + 7 * i, hour), _at(days + 7 * i, hour + 3)) for i in range(count)
            ]
            event = services.save_event(actor=staff, data=data, sessions=sessions)
            services.transition_publication(
                event=event, to_status=Publication.PUBLISHED, actor=staff
            )
            made[title] = event
        full = made["Sensibilisation : protéger les données de vos adhérents"]
        for n in range(3):
            registration = services.register(
                event=full, email=f"participant{n + 1}@{DOMAIN}", name=f"Participant {n + 1}"
            )
            services.confirm_registration(registration=registration)
        services.transition_status(
            event=made["Permanence numérique du mardi"],
            to_status=Status.CANCELLED,
            actor=staff,
            reason="Salle indisponible.",
        )
        self.stdout.write(f"{len(made)} événements de démonstration.")
