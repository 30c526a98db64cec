"""As a new user would: the diagnostic's recommendations link to real catalogue tools and
real nearby actors from the imported real data (issue #8, "Done when")."""

from pathlib import Path

import pytest
from django.core.management import call_command

from ressourcerie.core.models import Commune, Department, Region
from ressourcerie.diagnostic import engine, recommendations, services
from ressourcerie.diagnostic.models import RecommendationRule
from ressourcerie.directory.models import Place
from ressourcerie.toolbox.models import Tool

from .conftest import seed_data

CHARENTE = (
    Path(__file__).resolve().parents[1]
    / "fixtures"
    / "mediation-numerique"
    / "2023-07-11-charente-nouvelle-aquitaine.json"
)


@pytest.fixture
def real_world(db):
    call_command("load_territories", verbosity=0)
    call_command("import_tools", quiet_rows=True, verbosity=0)
    call_command("import_places", str(CHARENTE), verbosity=0)
    questionnaire, _message = services.load_questionnaire(data=seed_data())
    return questionnaire


def test_lowest_answers_recommend_real_tools_and_actors_near_angouleme(real_world):
    questionnaire = real_world
    structure = engine.build_structure(questionnaire)
    answers = {}
    for axis in structure.axes:
        for question in axis.questions:
            if question.kind == "scale":
                answers[question.id] = engine.AnswerValue((), question.scale_min)
            elif question.options:
                worst = min(question.options, key=lambda o: (o.is_unknown, o.score))
                answers[question.id] = engine.AnswerValue((worst.id,))
    scores = engine.compute_scores(structure, answers)
    context = recommendations.Context(
        structure=structure, scores=scores, answers=answers, department_code="16"
    )
    rules = RecommendationRule.objects.filter(questionnaire=questionnaire).select_related(
        "axis", "question", "option"
    )
    items = [item for group in recommendations.recommend(rules, context) for item in group.items]
    tool_urls = {f"/outils/{slug}/" for slug in Tool.objects.values_list("slug", flat=True)}
    place_urls = {p.get_absolute_url() for p in Place.objects.all()}

    tools = [i for i in items if i.url in tool_urls]
    actors = [i for i in items if i.url in place_urls]
    assert len(tools) >= 3, [i.title for i in items]
    assert actors, [i.title for i in items]
    assert all(i.why.startswith("Parce que") for i in tools + actors)
    assert any("Angoulême" in i.text for i in actors)
    assert Commune.objects.exists() and Department.objects.exists() and Region.objects.exists()
