"""Demo data of collective support (called by ``load_fund_demo`` once the collective call's
five Charente dossiers are accepted): the platform's first suggestion becomes a confirmed
cohort of three associations, assigned by hand to the demo structure « PANA
Loire-Atlantique » (whose editor is ``structure@demo…``), with one session logged (two
associations present, who confirm it) and the next one planned as an agenda event reserved
to the members; the two other dossiers stay free, so the suggestions page proposes them as
a cohort. Everything goes through the services."""

from datetime import time, timedelta
from decimal import Decimal

from django.utils import timezone
from django.utils.text import slugify

from ressourcerie.accounts.models import Membership, User
from ressourcerie.core.models import Commune, Organisation, OrganisationKind, VerificationStatus

from .models import DurationUnit
from .selectors import support_cohorts as cohort_selectors
from .services import support_cohorts, support_offers, support_sessions

CALL_SLUG = "ensemble-en-charente-2026"
COHORT_NAME = "Communiquer sans dépendre des grands réseaux — Charente"
STRUCTURE_SLUG = "pana-loire-atlantique"

# (name, INSEE, sector, description) — demo associations of Charente.
ASSOCIATIONS = [
    (
        "Foyer rural de Ruffec",
        "16292",
        "culture",
        "Foyer rural : bibliothèque, théâtre et sorties pour les habitants du Ruffécois.",
    ),
    (
        "Les Ateliers de Soyaux",
        "16374",
        "social",
        "Ateliers de couture et de réparation tenus par des bénévoles du quartier.",
    ),
    (
        "Amicale laïque de La Couronne",
        "16113",
        "education",
        "Aide aux devoirs, club informatique et fête de l'école.",
    ),
    (
        "Cognac Jeunesse Solidaire",
        "16102",
        "social",
        "Des jeunes bénévoles qui aident les aînés dans leurs démarches en ligne.",
    ),
    (
        "Les Randonneurs de Chabanais",
        "16070",
        "sport",
        "Randonnées hebdomadaires et entretien des chemins du Confolentais.",
    ),
]


def associations() -> list[Organisation]:
    """The demo associations of Charente (verified), created once."""
    result = []
    for name, insee, sector, description in ASSOCIATIONS:
        commune = Commune.objects.filter(insee=insee).first()
        if commune is None:
            continue
        organisation, _created = Organisation.objects.get_or_create(
            slug=slugify(name),
            defaults={
                "name": name,
                "kind": OrganisationKind.ASSOCIATION,
                "commune": commune,
                "sector": sector,
                "members_band": "11-50",
                "budget_band": "0-10k",
                "description": description,
                "verified_at": timezone.now(),
                "verification_status": VerificationStatus.VERIFIED,
            },
        )
        result.append(organisation)
    return result


def _member_user(support):
    membership = (
        Membership.objects.filter(organisation=support.application.organisation)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return membership and membership.user


def load(*, call, admin, domain: str) -> str:
    """Confirm the first suggested cohort of ``call``, assign it, log and plan its sessions.
    Returns a French summary line."""
    structure = Organisation.objects.filter(slug=STRUCTURE_SLUG).first()
    editor = User.objects.filter(email=f"structure@{domain}").first()
    suggestions = cohort_selectors.suggest(call)
    if structure is None or editor is None or not suggestions:
        return "Fonds (groupes) : pas de structure de démonstration ou pas de groupe suggéré."
    cohort = support_cohorts.confirm_suggestion(
        call=call, key=suggestions[0].key, actor=admin, name=COHORT_NAME
    )
    support_offers.assign_by_hand(cohort=cohort, organisation=structure, actor=admin)
    cohort.refresh_from_db()
    members = list(cohort_selectors.members_of(cohort))
    today = timezone.localdate()
    # The supports start on the day of the assignment: the first session was this morning.
    session = support_sessions.log_session(
        cohort=cohort,
        held_on=today,
        duration=Decimal("3"),
        unit=DurationUnit.HOURS,
        action_keys=list(cohort.action_keys[:1]),
        attendees="Cinq bénévoles des associations",
        note="Tour de table des outils de chacun ; premiers réglages des sauvegardes.",
        actor=editor,
        present_ids=[member.pk for member in members[:2]],
    )
    for member in members[:2]:
        support_sessions.check_session(
            session=session,
            support=member,
            confirmed=True,
            comment="",
            actor=_member_user(member),
        )
    support_cohorts.schedule_cohort_session(
        cohort=cohort,
        title="Atelier collectif : partager ses fichiers",
        day=today + timedelta(days=14),
        start=time(14, 0),
        end=time(17, 0),
        attendance_mode="presentiel",
        address="Salle des associations, 2 rue de Périgueux",
        commune="16015",
        actor=editor,
    )
    return (
        f"Fonds : un appel collectif en Charente, le groupe « {COHORT_NAME} » de "
        f"{len(members)} associations attribué à « {structure.name} » (une séance tenue, "
        "une programmée dans l'agenda), deux dossiers encore à grouper."
    )
