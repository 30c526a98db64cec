"""Calls, associations and diagnostics for the calls family's tests (Centre-Val de Loire:
the issue's example of an association in the Cher and a call for Indre-et-Loire and Loiret)."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from ressourcerie.accounts.models import Role
from ressourcerie.diagnostic import engine
from ressourcerie.diagnostic import services as diagnostic_services
from ressourcerie.fund.models import Call, CallStatus, PriorityCriterion, ReviewCriterion
from tests.diagnostic.conftest import SMALL
from tests.factories import (
    CommuneFactory,
    DepartmentFactory,
    MembershipFactory,
    OrganisationFactory,
    RegionFactory,
    UserFactory,
)


def department(code):
    names = {"18": "Cher", "37": "Indre-et-Loire", "45": "Loiret"}
    region = RegionFactory(code="24", name="Centre-Val de Loire")
    return DepartmentFactory(code=code, name=names[code], region=region)


def commune(code, *, insee, name, population):
    return CommuneFactory(
        insee=insee,
        name=name,
        search_name=name.lower(),
        postal_codes="",
        population=population,
        department=department(code),
    )


def tours():
    return commune("37", insee="37261", name="Tours", population=136_000)


def bourges():
    return commune("18", insee="18033", name="Bourges", population=64_000)


def small_village():
    return commune("45", insee="45001", name="Adon", population=200)


def make_call(*, status=CallStatus.OPEN, departments=("37", "45"), **extra) -> Call:
    today = timezone.localdate()
    values = {
        "title": "Appel numérique 2027",
        "slug": "appel-numerique-2027",
        "summary": "Des jours d'accompagnement pour le numérique.",
        "text": "## Objectif\n\nAider les **petites** associations.",
        "budget_euros": 10000,
        "budget_days": Decimal("20"),
        "day_value_euros": 450,
        "opens_on": today - timedelta(days=2),
        "closes_on": today + timedelta(days=30),
        "status": status,
    }
    values.update(extra)
    call = Call.objects.create(**values)
    call.departments.set([department(code) for code in departments])
    ReviewCriterion.objects.create(
        call=call,
        title="Pertinence du projet",
        weight=2,
        levels=["Absent", "Très faible", "Faible", "Moyen", "Bon", "Excellent"],
    )
    PriorityCriterion.objects.create(
        call=call, kind="rural", parameter="3500", label="Communes rurales", weight=3
    )
    return call


def association(commune_obj, *, verified=True, **extra):
    return OrganisationFactory(
        commune=commune_obj, verified_at=timezone.now() if verified else None, **extra
    )


def member_of(organisation, email=None):
    user = UserFactory(**({"email": email} if email else {}))
    MembershipFactory(user=user, organisation=organisation, role=Role.MEMBER)
    return user


def completed_diagnostic(organisation, *, days_ago=10):
    questionnaire, _outcome = diagnostic_services.load_questionnaire(data=SMALL)
    response, _token = diagnostic_services.start_response(
        questionnaire=questionnaire, organisation=organisation
    )
    diagnostic_services.complete_response(
        response=response, structure=engine.build_structure(questionnaire)
    )
    type(response).objects.filter(pk=response.pk).update(
        completed_at=timezone.now() - timedelta(days=days_ago)
    )
    return response
