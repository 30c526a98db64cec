import pytest

from ressourcerie.diagnostic import engine, recommendations
from ressourcerie.diagnostic.models import RecommendationRule


@pytest.fixture
def clean_registry():
    saved = recommendations.saved_registry()
    yield
    recommendations.restore_registry(saved)


def _context(structure, choose):
    q1 = structure.axes[0].questions[0]
    q2 = structure.axes[1].questions[0]
    answers = {
        q1.id: engine.AnswerValue((next(o.id for o in q1.options if o.key == choose),)),
        q2.id: engine.AnswerValue((next(o.id for o in q2.options if o.key == "aucun"),)),
    }
    scores = engine.compute_scores(structure, answers)
    return recommendations.Context(structure=structure, scores=scores, answers=answers)


def _rules(questionnaire):
    return RecommendationRule.objects.filter(questionnaire=questionnaire).select_related(
        "axis", "question", "option"
    )


def test_built_in_advice_provider_says_why(small, small_structure):
    groups = recommendations.recommend(_rules(small), _context(small_structure, "non"))
    items = [i for g in groups for i in g.items]
    titles = [i.title for i in items]
    assert titles == ["Renforcer B", "Conseil pour non"]
    assert items[0].why == "Parce que votre score « Axe B » est de 0 sur 100 (moins de 40)."
    assert items[1].why == "Parce que vous avez répondu « Non » à « Question 1 ? »."
    assert items[1].url == "https://example.org/guide"
    assert {i.kind for i in items} == {"advice"}


def test_rules_that_do_not_match_recommend_nothing(small, small_structure):
    context = _context(small_structure, "oui")
    groups = recommendations.recommend(_rules(small), context)
    assert [g.rule.key for g in groups] == ["b-faible"]


def test_registered_providers_receive_the_rule_and_context(small, small_structure, clean_registry):
    seen = []

    def tools(rule, context):
        seen.append((rule.need_slug, context.scores.by_key["b"].score))
        return [recommendations.Recommendation(title="Outil libre", url="/outils/pad/")]

    def actors(rule, context):
        return [
            recommendations.Recommendation(
                title="Tiers-lieu voisin",
                url="/acteurs/tiers-lieu/",
                why="Il propose : outils collaboratifs.",
            )
        ]

    recommendations.register_provider("need", tools)
    recommendations.register_provider("support", actors)
    groups = recommendations.recommend(_rules(small), _context(small_structure, "non"))
    items = {i.title: i for g in groups for i in g.items}
    assert seen == [("ecriture-collaborative", 0)]
    assert items["Outil libre"].kind == "need"
    assert items["Outil libre"].why.startswith("Parce que votre score « Axe B »")
    assert items["Tiers-lieu voisin"].why == "Il propose : outils collaboratifs."


def test_a_failing_provider_is_skipped(small, small_structure, clean_registry, caplog):
    def broken(rule, context):
        raise RuntimeError("boom")

    recommendations.register_provider("need", broken)
    groups = recommendations.recommend(_rules(small), _context(small_structure, "non"))
    assert [i.title for g in groups for i in g.items] == ["Renforcer B", "Conseil pour non"]
    assert "boom" in caplog.text


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError):
        recommendations.register_provider("horoscope", lambda rule, context: [])


def test_results_page_shows_provider_recommendations(
    client, small, small_structure, clean_registry
):
    from .conftest import complete_via_client

    recommendations.register_provider(
        "support",
        lambda rule, context: [
            recommendations.Recommendation(
                title="Point d'appui de Nantes", url="/acteurs/pava-nantes/"
            )
        ],
    )
    client.post("/autodiagnostic/commencer/", {})
    complete_via_client(client, small_structure, choose="last")
    content = client.get("/autodiagnostic/resultats/").content.decode()
    assert "Point d&#x27;appui de Nantes" in content
    assert 'href="/acteurs/pava-nantes/"' in content
