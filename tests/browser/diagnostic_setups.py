"""Setups for the self-diagnostic pages of the browser suite (tests/browser/pages.py)."""

from __future__ import annotations

import json
from pathlib import Path

SEED = Path(__file__).resolve().parents[2] / "ressourcerie/diagnostic/seed/questionnaire-v1.json"


def questionnaire(user=None) -> dict:
    from ressourcerie.diagnostic import services

    q, _outcome = services.load_questionnaire(data=json.loads(SEED.read_text(encoding="utf-8")))
    return {"questionnaire": q}


def _answer_all(response, structure, *, high: bool, upto_step: int | None = None):
    from ressourcerie.diagnostic import engine, services

    axes = structure.axes[: upto_step or len(structure.axes)]
    questions = [q for a in axes for q in a.questions]
    answers = {}
    for question in questions:
        if question.kind == "scale":
            value = question.scale_max if high else question.scale_min
            answers[question.id] = engine.AnswerValue(value=value)
        else:
            known = [o for o in question.options if not o.is_unknown]
            answers[question.id] = engine.AnswerValue(((known[0] if high else known[-1]).id,))
    services.save_answers(
        response=response, structure=structure, questions=questions, answers=answers
    )


def in_progress(user=None) -> dict:
    """A response answered up to step 2: the resume link opens step 3."""
    from ressourcerie.diagnostic import engine, services

    q = questionnaire()["questionnaire"]
    structure = engine.build_structure(q)
    response, token = services.start_response(questionnaire=q)
    _answer_all(response, structure, high=False, upto_step=2)
    response.current_step = 3
    response.save()
    return {"token": token}


def _retaken(*, user=None, organisation=None):
    """A low-scoring response retaken, among 10 similar ones (comparisons shown)."""
    from ressourcerie.diagnostic import engine, services
    from tests.factories import DepartmentFactory

    q = questionnaire()["questionnaire"]
    structure = engine.build_structure(q)
    department = DepartmentFactory()
    profile = {"sector": "culture", "members_band": "11-50", "department": department}
    for index in range(10):
        other, _t = services.start_response(questionnaire=q, **profile)
        _answer_all(other, structure, high=index % 2 == 0)
        services.complete_response(response=other, structure=structure)
    first, _t = services.start_response(
        questionnaire=q, user=user, organisation=organisation, **profile
    )
    _answer_all(first, structure, high=False)
    services.complete_response(response=first, structure=structure)
    second, token = services.start_retake(previous=first, questionnaire=q, user=user)
    _answer_all(second, structure, high=False)
    services.complete_response(response=second, structure=structure)
    return second, token


def completed(user=None) -> dict:
    """A low-scoring response retaken: results with before/after, comparisons (10 similar
    responses) and many recommendations — the heaviest results page."""
    _second, token = _retaken()
    return {"token": token}


def mine(user=None) -> dict:
    """The signed-in user's diagnostics for "Mes diagnostics": the heaviest results (a retake
    with comparisons) taken for their association, and one unfinished that can be resumed."""
    from ressourcerie.accounts.models import Membership, Role
    from ressourcerie.diagnostic import engine, services
    from tests.factories import OrganisationFactory

    organisation = OrganisationFactory(name="Les Amis du Jardin", sector="culture")
    Membership.objects.create(user=user, organisation=organisation, role=Role.MEMBER)
    retake, _token = _retaken(user=user, organisation=organisation)
    q = retake.questionnaire
    unfinished, _token = services.start_response(questionnaire=q, user=user)
    _answer_all(unfinished, engine.build_structure(q), high=True, upto_step=2)
    unfinished.current_step = 3
    unfinished.save()
    return {"response": retake}


def my_plan(user=None) -> dict:
    """« Mon plan d'action » of the signed-in user's association: the kept plan of its latest
    (low-scoring) diagnostic, one action marked "fait" by the user."""
    from ressourcerie.diagnostic import selectors, services
    from ressourcerie.diagnostic.models import PlanAction

    data = mine(user)
    organisation = data["response"].organisation
    first = selectors.association_plan(organisation)[0]
    services.mark_plan_action(action=PlanAction.objects.get(pk=first.id), status="done", actor=user)
    return data
