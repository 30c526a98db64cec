"""Dossiers for the instruction tests, built with the real services: a call with a review
grid and a rural priority, associations with a completed diagnostic (the seed questionnaire,
answered low), applications started and submitted through the machine, reviewer groups."""

import json
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from django.utils import timezone

from ressourcerie.accounts.models import Membership, Role
from ressourcerie.diagnostic import engine
from ressourcerie.diagnostic import services as diagnostic_services
from ressourcerie.fund.models import (
    ApplicationStatus,
    Call,
    CallStatus,
    PriorityCriterion,
    PriorityKind,
    ReviewCriterion,
    ReviewerGroup,
)
from ressourcerie.fund.services.applications import start_application, transition_application
from tests.factories import CommuneFactory, DepartmentFactory, OrganisationFactory, UserFactory

SEED = Path(__file__).resolve().parents[2] / "ressourcerie/diagnostic/seed/questionnaire-v1.json"
LEVELS = [
    "Absent",
    "Très insuffisant",
    "Insuffisant",
    "Correct",
    "Bon",
    "Excellent",
]


def department(code="44", name="Loire-Atlantique"):
    return DepartmentFactory(code=code, name=name)


def commune(dep, *, insee, name, population):
    return CommuneFactory(
        insee=insee, name=name, search_name=name.lower(), department=dep, population=population
    )


def make_call(*, departments=(), slug="appel-instruction", budget_days=20, budget_euros=10000):
    today = timezone.localdate()
    call = Call.objects.create(
        title="Appel numérique et rural",
        slug=slug,
        summary="Un appel pour les associations",
        text="Texte de l'appel",
        status=CallStatus.OPEN,
        budget_euros=budget_euros,
        budget_days=Decimal(budget_days),
        day_value_euros=500,
        opens_on=today - timedelta(days=1),
        closes_on=today + timedelta(days=30),
    )
    call.departments.set(departments)
    ReviewCriterion.objects.create(
        call=call, title="Pertinence du projet", weight=2, levels=LEVELS, order=1
    )
    ReviewCriterion.objects.create(call=call, title="Faisabilité", weight=1, levels=LEVELS, order=2)
    PriorityCriterion.objects.create(
        call=call,
        kind=PriorityKind.RURAL,
        parameter="5000",
        label="Commune de moins de 5 000 habitants",
        weight=3,
    )
    return call


def _questionnaire():
    questionnaire, _outcome = diagnostic_services.load_questionnaire(
        data=json.loads(SEED.read_text(encoding="utf-8"))
    )
    return questionnaire


def complete_diagnostic(organisation, user):
    """A completed diagnostic of the association, answered low (priorities and a plan)."""
    questionnaire = _questionnaire()
    structure = engine.build_structure(questionnaire)
    response, _token = diagnostic_services.start_response(
        questionnaire=questionnaire, user=user, organisation=organisation
    )
    questions = [q for a in structure.axes for q in a.questions]
    answers = {}
    for question in questions:
        if question.kind == "scale":
            answers[question.id] = engine.AnswerValue(value=question.scale_min)
        else:
            known = [o for o in question.options if not o.is_unknown]
            answers[question.id] = engine.AnswerValue((known[-1].id,))
    diagnostic_services.save_answers(
        response=response, structure=structure, questions=questions, answers=answers
    )
    diagnostic_services.complete_response(response=response, structure=structure)
    return response


def applicant(name, place):
    """A verified association in ``place`` with one member and a completed diagnostic."""
    organisation = OrganisationFactory(name=name, commune=place, verified_at=timezone.now())
    member = UserFactory()
    Membership.objects.create(user=member, organisation=organisation, role=Role.MEMBER)
    complete_diagnostic(organisation, member)
    return organisation, member


def submit(call, organisation, member, *, days=Decimal("4")):
    """Start the draft from the diagnostic, fill what the platform does not know, submit."""
    application = start_application(call=call, organisation=organisation, actor=member)
    application.project = f"Former les bénévoles de {organisation.name} aux outils partagés."
    application.action_keys = [application.diagnostic_snapshot["actions"][0]["key"]]
    application.days_requested = days
    application.cofunding = "Fonds propres"
    application.save()
    return transition_application(
        application=application, to_status=ApplicationStatus.SUBMITTED, actor=member
    )


def reviewer(group=None):
    user = UserFactory()
    Membership.objects.create(user=user, role=Role.REVIEWER)
    if group is not None:
        group.members.add(user)
    return user


def group_for_department(dep, name="Groupe Loire-Atlantique"):
    group = ReviewerGroup.objects.create(name=name, order=1)
    group.departments.add(dep)
    return group
