"""The action plan (#14 items 2, 3, 7): actions are data of the version, ranked into a plan of
at most ten, each with its axis, effort, a reason quoting only its own axis and resources."""

import json
import re
from html import unescape

import pytest

from ressourcerie.diagnostic import engine, plan, recommendations
from ressourcerie.diagnostic.models import RecommendationRule, RuleTrigger
from ressourcerie.toolbox import selectors as toolbox
from ressourcerie.toolbox.models import Guide

from .conftest import SEED, step_post
from .test_real_recommendations import real_world  # noqa: F401  (fixture)

SECURITY = "securite"


def worst_answers(structure, axes=None):
    """The lowest answer (« je ne sais pas » aside) to every question of ``axes`` (all by
    default), the highest elsewhere."""
    answers = {}
    for axis in structure.axes:
        weak = axes is None or axis.key in axes
        for question in axis.questions:
            if question.kind == "scale":
                value = question.scale_min if weak else question.scale_max
                answers[question.id] = engine.AnswerValue((), value)
                continue
            known = sorted((o for o in question.options if not o.is_unknown), key=lambda o: o.score)
            chosen = known[0] if weak else known[-1]
            answers[question.id] = engine.AnswerValue((chosen.id,))
    return engine.visible_answers(structure, answers)


def triggering(structure, answers, rule):
    """``answers`` with the rule's answer given (and its question's condition met)."""
    answers = dict(answers)
    question = structure.questions[rule.question_id]
    while question is not None:
        chosen = rule.option_id if question.id == rule.question_id else None
        answers[question.id] = engine.AnswerValue((chosen,)) if chosen else answers[question.id]
        parent = structure.questions.get(question.condition_question_id)
        if parent is not None:
            answers[parent.id] = engine.AnswerValue((min(question.condition_option_ids),))
        question = parent
    return answers


def rules_of(questionnaire):
    return list(
        RecommendationRule.objects.filter(questionnaire=questionnaire).select_related(
            "axis", "question", "option"
        )
    )


def context_for(structure, answers, department="16"):
    scores = engine.compute_scores(structure, answers)
    return recommendations.Context(
        structure=structure, scores=scores, answers=answers, department_code=department
    )


# --- item 3: actions are data ---------------------------------------------------------------
def test_every_seed_rule_names_its_axis_an_effort_and_quotes_only_its_own_axis(real_world):  # noqa: F811
    structure = engine.build_structure(real_world)
    rules = rules_of(real_world)
    assert len(rules) >= 22
    for rule in rules:
        assert rule.axis_id, rule.key
        assert rule.advice_title and rule.effort_time and rule.effort_money and rule.effort_skills
        assert rule.cost_rank >= 1
        if rule.trigger == RuleTrigger.ANSWER_IS:
            assert rule.question.axis_id == rule.axis_id, rule.key
        else:
            # Axis rules follow the version's priority threshold unless they set a lower one.
            assert rule.threshold <= real_world.priority_below, rule.key
        # Every axis weak: every rule of the axis holds, its reason quotes that axis only.
        answers = worst_answers(structure, {rule.axis.key})
        if rule.trigger == RuleTrigger.ANSWER_IS:
            answers = triggering(structure, answers, rule)
        context = context_for(structure, answers)
        assert recommendations.matches(rule, context), rule.key
        why = plan.why(rule, context)
        own = {q.text for q in structure.axis_by_key(rule.axis.key).questions}
        quoted = set(re.findall(r"» à « (.+?) »", why))
        assert quoted, (rule.key, why)
        assert quoted <= own, (rule.key, why)


def test_every_action_has_a_resource_with_the_real_catalogue_and_places(real_world):  # noqa: F811
    structure = engine.build_structure(real_world)
    rules = rules_of(real_world)
    guides = set(Guide.objects.values_list("slug", flat=True))
    for rule in rules:
        assert not rule.guide_slug or rule.guide_slug in guides, rule.key
    for rule in rules:
        answers = worst_answers(structure, {rule.axis.key})
        if rule.trigger == RuleTrigger.ANSWER_IS:
            answers = triggering(structure, answers, rule)
        built = plan.build_plan(rules, context_for(structure, answers))
        actions = built.actions + [a for group in built.further for a in group.actions]
        action = next(a for a in actions if a.title == rule.advice_title)
        assert action.axis_key == rule.axis.key
        assert action.resources, rule.key
        assert all(r.kind != "advice" for r in action.resources)
        assert any(r.url for r in action.resources), rule.key


def test_a_guide_is_found_by_its_slug_or_not_at_all(real_world):  # noqa: F811
    assert toolbox.guides_about("plan-numerique") == []
    assert toolbox.guides_about("referent-numerique") == []
    assert [g.slug for g in toolbox.guides_about("sauvegarder-regle-3-2-1")] == [
        "sauvegarder-regle-3-2-1"
    ]


def test_an_axis_at_the_priority_threshold_minus_one_gets_its_action(seeded):
    """Angoulême: axes at 40 are priorities (under 60) and now get their axis actions."""
    structure = engine.build_structure(seeded)
    rules = rules_of(seeded)
    rule = next(r for r in rules if r.key == "strategie-faible")
    assert rule.threshold == seeded.priority_below == 60
    context = context_for(structure, worst_answers(structure, {"strategie"}), department="")
    context.scores.by_key["strategie"].score = 40
    assert recommendations.matches(rule, context)


def test_ranking_weakest_axis_then_cheapest_and_ten_at_most(seeded):
    structure = engine.build_structure(seeded)
    result = plan.build_plan(rules_of(seeded), context_for(structure, worst_answers(structure)))
    assert len(result.actions) == plan.MAX_ACTIONS
    assert [a.starter for a in result.actions] == [True] * 3 + [False] * 7
    keys = [((a.axis_score or 0), a.cost_rank) for a in result.actions]
    scores = [k[0] for k in keys]
    assert scores == sorted(scores)
    for first, second in zip(result.actions, result.actions[1:], strict=False):
        if first.axis_key == second.axis_key:
            assert first.cost_rank <= second.cost_rank
    assert result.further
    further_keys = [a.key for g in result.further for a in g.actions]
    assert not set(further_keys) & {a.key for a in result.actions}
    order = [a.key for a in structure.axes]
    assert [g.key for g in result.further] == sorted(
        (g.key for g in result.further), key=order.index
    )


# --- "Done when", with JavaScript off (plain HTML forms) -----------------------------------
def take(client, structure, weak: set[str] | None):
    assert client.post("/autodiagnostic/commencer/", {}).status_code == 302
    for number, axis in enumerate(structure.axes, start=1):
        choose = "last" if weak is None or axis.key in weak else "first"
        answer = client.post(
            f"/autodiagnostic/etape/{number}/", step_post(axis, structure.version, choose)
        )
        assert answer.status_code == 302
    page = client.get("/autodiagnostic/resultats/")
    assert page.status_code == 200
    return page


def plan_section(page) -> str:
    html = page.content.decode()
    return unescape(html[html.index('<section class="diag-plan"') : html.index("</section>")])


def test_weak_in_security_only_gets_security_actions_first_quoting_security(client, seeded):
    structure = engine.build_structure(seeded)
    page = take(client, structure, {SECURITY})
    actions = page.context["plan"].actions
    security = structure.axis_by_key(SECURITY)
    others = {q.text for a in structure.axes if a.key != SECURITY for q in a.questions}
    assert actions and actions[0].axis_key == SECURITY
    first = [a for a in actions if a.axis_key == SECURITY]
    assert actions[: len(first)] == first and len(first) >= 3
    for action in first:
        quoted = set(re.findall(r"» à « (.+?) »", action.why))
        assert quoted and quoted <= {q.text for q in security.questions}
        assert not quoted & others
    section = plan_section(page)
    assert "Votre plan d'action" in section
    assert section.index(actions[0].title) < section.index(actions[-1].title)
    assert "Mettre en place une sauvegarde automatique" in section


def test_weak_everywhere_gets_ten_ranked_actions_three_to_start_with(client, seeded):
    structure = engine.build_structure(seeded)
    page = take(client, structure, None)
    section = plan_section(page)
    assert section.count('class="card diag-action') == 10
    assert section.count('<span class="tag diag-starter-tag">pour commencer</span>') == 3
    html = page.content.decode()
    assert "Aller plus loin" in html
    assert html.index("Votre plan d'action") < html.index("Votre score par thème")
    for action in page.context["plan"].actions:
        assert action.effort.time in unescape(section)


def test_strong_everywhere_gets_no_priority(client, seeded):
    structure = engine.build_structure(seeded)
    page = take(client, structure, set())
    assert not page.context["scores"].priorities
    html = unescape(page.content.decode())
    assert "Aucune priorité" in html
    assert "Vos priorités" not in html
    assert all(a.axis_score >= seeded.priority_below for a in page.context["plan"].actions)


def test_the_pdf_carries_the_plan(client, seeded):
    structure = engine.build_structure(seeded)
    take(client, structure, None)
    pdf = client.get("/autodiagnostic/resultats/rapport.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


@pytest.mark.parametrize("path", [SEED])
def test_seed_file_states_effort_for_every_rule(path):
    data = json.loads(path.read_text())
    for rule in data["rules"]:
        assert set(rule["effort"]) == {"time", "money", "skills"}, rule["key"]
        assert rule["cost"] in {1, 2, 3, 4}, rule["key"]


# --- item 7: the API returns the plan ------------------------------------------------------
def test_api_submission_returns_the_ranked_plan_and_keeps_recommendations(client, seeded):
    structure = engine.build_structure(seeded)
    answers = {}
    for axis in structure.axes:
        for question in axis.questions:
            weak = axis.key == SECURITY
            if question.kind == "scale":
                answers[str(question.id)] = {
                    "value": question.scale_min if weak else question.scale_max
                }
                continue
            known = [o for o in question.options if not o.is_unknown]
            answers[str(question.id)] = {"options": [(known[-1] if weak else known[0]).id]}
    response = client.post(
        "/api/v1/diagnostic/responses",
        json.dumps({"version": structure.version, "answers": answers}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["recommendations"]
    actions = body["plan"]
    assert 3 <= len(actions) <= plan.MAX_ACTIONS
    assert actions[0]["axis"] == SECURITY
    assert [a["starter"] for a in actions[:3]] == [True, True, True]
    first = actions[0]
    assert set(first) == {"axis", "title", "why", "effort", "starter", "resources"}
    assert set(first["effort"]) == {"time", "money", "skills"}
    assert first["why"].startswith("Parce que")
    for resource in first["resources"]:
        assert set(resource) == {"kind", "title", "url", "why"}


def test_openapi_shows_an_example_plan(client, db):
    document = client.get("/api/v1/openapi.json").json()
    operation = document["paths"]["/api/v1/diagnostic/responses"]["post"]
    example = operation["responses"]["200"]["content"]["application/json"]["example"]
    assert example["plan"][0]["resources"][0]["kind"] == "guide"
    assert {"axis", "title", "why", "effort", "resources"} <= set(example["plan"][0])
