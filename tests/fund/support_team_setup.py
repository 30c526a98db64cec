"""Supports built straight on the models for the team's support tests (cohorts, results,
dashboard, impact): a collective call in Charente, accepted dossiers with their diagnostic
snapshot, and their Support rows (what the acceptance opens)."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from ressourcerie.fund.models import (
    Application,
    ApplicationStatus,
    Call,
    CallStatus,
    Support,
    SupportFormat,
    SupportStatus,
)
from tests.factories import CommuneFactory, DepartmentFactory, OrganisationFactory

ACTIONS = {
    "sauvegarde": "Mettre en place une sauvegarde",
    "mots-de-passe": "Utiliser un gestionnaire de mots de passe",
    "site": "Créer un site simple",
}
AXES = [("securite", "Sécurité"), ("outils", "Outils collaboratifs")]

# Communes of Charente (16) and one in Gironde (33), with their real coordinates.
PLACES = {
    "angouleme": ("16015", "Angoulême", "16", 41_000, 45.6484, 0.1562),
    "ruelle": ("16286", "Ruelle-sur-Touvre", "16", 7_300, 45.6794, 0.2294),
    "montbron": ("16223", "Montbron", "16", 2_100, 45.6686, 0.4967),
    "confolens": ("16106", "Confolens", "16", 2_600, 46.0136, 0.6722),
    "coutras": ("33138", "Coutras", "33", 8_500, 45.0406, -0.1281),
    "bordeaux": ("33063", "Bordeaux", "33", 260_000, 44.8378, -0.5792),
}
DEPARTMENTS = {"16": "Charente", "33": "Gironde"}


def place(key):
    insee, name, dep, population, lat, lon = PLACES[key]
    return CommuneFactory(
        insee=insee,
        name=name,
        search_name=name.lower(),
        population=population,
        latitude=lat,
        longitude=lon,
        department=DepartmentFactory(code=dep, name=DEPARTMENTS[dep]),
    )


def collective_call(*, slug="appel-collectif", cohort_min=2, cohort_max=4, radius=50) -> Call:
    today = timezone.localdate()
    return Call.objects.create(
        title="Appel collectif 2027",
        slug=slug,
        summary="Accompagnement collectif.",
        text="Texte.",
        status=CallStatus.CLOSED,
        budget_euros=10000,
        budget_days=Decimal("40"),
        day_value_euros=400,
        opens_on=today - timedelta(days=60),
        closes_on=today - timedelta(days=30),
        individual_support=True,
        collective_support=True,
        cohort_min=cohort_min,
        cohort_max=cohort_max,
        support_radius_km=radius,
    )


_counter = {"n": 0}


def snapshot(keys, scores=(30, 40)):
    return {
        "completed_at": (timezone.now() - timedelta(days=90)).isoformat(),
        "axes": [
            {"key": k, "name": n, "score": s, "priority": s < 50}
            for (k, n), s in zip(AXES, scores, strict=True)
        ],
        "actions": [
            {"key": k, "title": t, "axis_key": "securite", "axis_name": "Sécurité"}
            for k, t in ACTIONS.items()
        ],
    }


def accepted_support(
    call,
    commune,
    *,
    keys=("sauvegarde",),
    fmt=SupportFormat.COLLECTIVE,
    status=SupportStatus.TO_ASSIGN,
    organisation=None,
    days=Decimal("3"),
    scores=(30, 40),
) -> Support:
    _counter["n"] += 1
    now = timezone.now()
    organisation = organisation or OrganisationFactory(
        name=f"Association {commune.name} {_counter['n']}", commune=commune, verified_at=now
    )
    application = Application.objects.create(
        call=call,
        organisation=organisation,
        reference=f"2027-T{_counter['n']:05d}",
        status=ApplicationStatus.ACCEPTED,
        diagnostic_snapshot=snapshot(keys, scores),
        project="Projet.",
        support_format=fmt,
        action_keys=list(keys),
        days_requested=days,
        days_granted=days,
        amount_granted=0,
        submitted_at=now - timedelta(days=40),
        decided_at=now - timedelta(days=20),
    )
    return Support.objects.create(
        application=application,
        status=status,
        support_format=fmt,
        days_granted=days,
        action_keys=list(keys),
    )
