"""The optional free-text question (#14 item 5) and tools at the association's level (item 2):
what the person wrote is matched to the catalogue's needs through the site's French search and
adds its action ("Vous avez écrit : « … »"); a bad text gets a French message with the answers
kept; the text is personal data. A beginner is not sent to tools marked "avancé"."""

from datetime import timedelta
from html import unescape
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from ressourcerie.accounts import personal_data
from ressourcerie.accounts.services import delete_account
from ressourcerie.diagnostic import engine, recommendations, selectors, services
from ressourcerie.diagnostic.models import DiagnosticResponse
from ressourcerie.toolbox.models import Tool
from ressourcerie.toolbox.registrations import tools_for_needs
from tests.factories import UserFactory

from .conftest import step_post
from .test_real_recommendations import real_world  # noqa: F401  (fixture)

WRITTEN = "On perd nos fichiers, pas de sauvegarde"


def answer_all_but_last(client, structure, choose="first"):
    client.post("/autodiagnostic/commencer/", {})
    for number, axis in enumerate(structure.axes[:-1], start=1):
        response = client.post(
            f"/autodiagnostic/etape/{number}/", step_post(axis, structure.version, choose)
        )
        assert response.status_code == 302
    return structure.step_count


def test_a_long_or_punctuation_only_text_gets_a_french_message_and_answers_are_kept(small):
    structure = engine.build_structure(small)
    client = Client()
    last = answer_all_but_last(client, structure)
    data = step_post(structure.axes[-1], structure.version)
    chosen = [v for k, v in data.items() if k.startswith("q")]

    page = client.post(f"/autodiagnostic/etape/{last}/", {**data, "problem": "é" * 501})
    body = unescape(page.content.decode())
    assert page.status_code == 200
    assert "Votre phrase fait 501 caractères : raccourcissez-la à 500 caractères au plus." in body
    assert "é" * 501 in body  # what was typed is kept
    assert all(f'value="{v}" checked' in body for v in chosen)

    page = client.post(f"/autodiagnostic/etape/{last}/", {**data, "problem": " ?!… ; -- "})
    body = unescape(page.content.decode())
    assert "Écrivez votre problème avec des mots, ou laissez ce champ vide." in body
    assert all(f'value="{v}" checked' in body for v in chosen)
    response = DiagnosticResponse.objects.get()
    assert response.completed_at is None and response.problem_text == ""

    page = client.post(f"/autodiagnostic/etape/{last}/", {**data, "problem": "  Trop  de mails "})
    assert page.status_code == 302
    response.refresh_from_db()
    assert response.problem_text == "Trop de mails" and response.completed_at is not None


def test_the_text_is_optional(small):
    structure = engine.build_structure(small)
    client = Client()
    last = answer_all_but_last(client, structure)
    page = client.post(f"/autodiagnostic/etape/{last}/", step_post(structure.axes[-1], 1))
    assert page.status_code == 302
    assert DiagnosticResponse.objects.get().problem_text == ""


def test_what_was_written_adds_its_action_to_the_plan(real_world):  # noqa: F811
    structure = engine.build_structure(real_world)
    client = Client()
    last = answer_all_but_last(client, structure, choose="first")  # strong everywhere
    data = step_post(structure.axes[-1], structure.version, "first")
    page = client.post(f"/autodiagnostic/etape/{last}/", {**data, "problem": WRITTEN})
    assert page.status_code == 302
    page = unescape(client.get("/autodiagnostic/resultats/").content.decode())
    plan_part = page[page.index("Votre plan d'action") : page.index("Score global")]
    assert f"Vous avez écrit : « {WRITTEN} »." in plan_part
    assert "sauvegarde" in plan_part.lower()

    response = DiagnosticResponse.objects.get()
    rules = list(response.questionnaire.rules.all())
    assert selectors.written_rule_key("on n'arrive pas à faire nos comptes", rules) == (
        "comptabilite"
    )
    assert selectors.written_rule_key("les visios plantent", rules) == "visio"
    assert selectors.written_rule_key("", rules) == ""


def test_the_written_action_is_among_the_ten_even_when_the_plan_is_full(real_world):  # noqa: F811
    structure = engine.build_structure(real_world)
    client = Client()
    last = answer_all_but_last(client, structure, choose="last")  # weak everywhere
    data = step_post(structure.axes[-1], structure.version, "last")
    client.post(f"/autodiagnostic/etape/{last}/", {**data, "problem": "les visios plantent"})
    response = DiagnosticResponse.objects.get()
    answers = selectors.answers_of(response)
    scores = engine.compute_scores(structure, answers)
    plan = selectors.plan_for(response, structure, scores, answers, resources=False)
    assert len(plan.actions) == 10
    written = [a for a in plan.actions if a.why.startswith("Vous avez écrit")]
    assert [a.key for a in written] == ["visio"]
    assert sum(a.starter for a in plan.actions) == 3


@pytest.fixture
def written_by_person(small):
    person = UserFactory(email="ecrit@example.org")
    client = Client()
    client.force_login(person)
    structure = engine.build_structure(small)
    last = answer_all_but_last(client, structure)
    data = step_post(structure.axes[-1], structure.version)
    client.post(f"/autodiagnostic/etape/{last}/", {**data, "problem": "Notre trésorier s'en va"})
    return person


def test_the_text_is_in_the_export_and_blanked_on_erasure(written_by_person):
    exported = personal_data.collect(written_by_person)["autodiagnostic"]
    assert exported[0]["principal_probleme_ecrit"] == "Notre trésorier s'en va"
    delete_account(user=written_by_person)
    response = DiagnosticResponse.objects.get()
    assert response.user_id is None and response.problem_text == ""


def test_the_text_is_purged_with_an_abandoned_diagnostic(small):
    response, _token = services.start_response(questionnaire=small)
    services.save_problem_text(response=response, text="Nos ordinateurs sont lents")
    DiagnosticResponse.objects.filter(pk=response.pk).update(
        updated_at=timezone.now() - timedelta(days=400)
    )
    call_command("purge_abandoned_diagnostics", stdout=StringIO())
    assert not DiagnosticResponse.objects.filter(problem_text__icontains="ordinateurs").exists()


# --- item 2: tools at the association's level ------------------------------------------------
def test_a_beginner_is_not_sent_to_advanced_tools(real_world):  # noqa: F811
    advanced = Tool.objects.filter(difficulty="avance").first()
    middle = Tool.objects.filter(difficulty="intermediaire").first()
    easy = Tool.objects.filter(difficulty="debutant").first()
    items = [
        recommendations.Recommendation(
            title=t.name, url=t.get_absolute_url(), kind="need", level=t.difficulty
        )
        for t in (advanced, middle, easy)
    ] + [recommendations.Recommendation(title=advanced.name, kind="guide")]
    titles = lambda level: sorted(  # noqa: E731
        (i.kind, i.title) for i in selectors.resources_at_level(level)(items)
    )
    assert titles("debutant") == sorted(
        [("need", easy.name), ("guide", advanced.name)]  # only tools are filtered
    )
    assert titles("intermediaire") == sorted(
        [("need", easy.name), ("need", middle.name), ("guide", advanced.name)]
    )
    assert len(titles("avance")) == 4


def test_the_catalogue_says_the_level_of_each_tool_it_recommends(real_world):  # noqa: F811
    """The level filter asks nothing more of the database: each tool carries its own."""
    found = tools_for_needs(["sauvegarde", "mots-de-passe", "site-web"], context=None)
    items = [item for tools in found.values() for item in tools]
    assert len(items) == 9
    difficulty = dict(Tool.objects.values_list("name", "difficulty"))
    assert all(item.level == difficulty[item.title] for item in items)


def test_the_level_comes_from_the_skills_axis(real_world):  # noqa: F811
    structure = engine.build_structure(real_world)
    weak = {}
    for question in structure.questions.values():
        if question.kind == "scale":
            weak[question.id] = engine.AnswerValue((), question.scale_min)
        else:
            known = sorted((o for o in question.options if not o.is_unknown), key=lambda o: o.score)
            weak[question.id] = engine.AnswerValue((known[0].id,))
    scores = engine.compute_scores(structure, engine.visible_answers(structure, weak))
    assert selectors.association_level(scores) == "debutant"

    response, _token = services.start_response(questionnaire=real_world)
    services.save_answers(
        response=response,
        structure=structure,
        questions=list(structure.questions.values()),
        answers=engine.visible_answers(structure, weak),
    )
    services.complete_response(response=response, structure=structure)
    answers = selectors.answers_of(response)
    plan = selectors.plan_for(response, structure, scores, answers)
    tool_names = {i.title for a in plan.actions for i in a.resources if i.kind == "need"}
    assert tool_names, "a beginner still gets catalogue tools"
    assert set(Tool.objects.filter(name__in=tool_names).values_list("difficulty", flat=True)) == {
        "debutant"
    }
