import pytest

from ressourcerie.diagnostic import engine, services
from ressourcerie.diagnostic.errors import DiagnosticError
from ressourcerie.diagnostic.models import (
    Question,
    Questionnaire,
    QuestionnaireStatus,
    RecommendationRule,
)

from .conftest import SMALL, seed_data


def _option(question, key):
    return next(o for o in question.options if o.key == key)


def test_seed_has_eight_axes_about_thirty_questions_every_kind_and_conditions(seeded):
    structure = engine.build_structure(seeded)
    assert len(structure.axes) == 8
    assert 28 <= len(structure.questions) <= 34
    kinds = {q.kind for q in structure.questions.values()}
    assert kinds == {"single", "multiple", "scale"}
    assert sum(1 for q in structure.questions.values() if q.condition_question_id) >= 2
    assert any(q.has_unknown for q in structure.questions.values())
    assert all(q.help_text for q in structure.questions.values())
    assert seeded.rules.count() >= 20
    assert seeded.status == QuestionnaireStatus.PUBLISHED


def test_seed_rules_name_toolbox_needs_and_directory_supports(seeded):
    needs = set(seeded.rules.exclude(need_slug="").values_list("need_slug", flat=True))
    supports = set(seeded.rules.exclude(support_code="").values_list("support_code", flat=True))
    assert {"comptabilite", "visioconference", "sauvegarde", "site-web"} <= needs
    assert {"rgpd", "securite", "materiel", "financement"} <= supports


def test_loading_twice_is_idempotent(seeded):
    again, outcome = services.load_questionnaire(data=seed_data())
    assert outcome == "updated" and again.pk == seeded.pk
    assert Questionnaire.objects.count() == 1
    assert RecommendationRule.objects.count() == len(seed_data()["rules"])


def test_loading_leaves_an_answered_version_untouched(seeded, client):
    client.post("/autodiagnostic/commencer/", {})
    questions = Question.objects.count()
    _same, outcome = services.load_questionnaire(data=seed_data())
    assert outcome == "unchanged"
    assert Question.objects.count() == questions


def test_load_questionnaire_command(db, capsys):
    from django.core.management import call_command

    call_command("load_questionnaire")
    call_command("load_questionnaire")
    assert "Version 1 mise à jour" in capsys.readouterr().out
    assert Questionnaire.objects.get().status == QuestionnaireStatus.PUBLISHED


def test_invalid_file_says_where_in_french(db):
    data = seed_data()
    data["rules"][0]["answer_is"]["option"] = "inexistant"
    with pytest.raises(services.QuestionnaireDataError, match="réponse inconnue"):
        services.load_questionnaire(data=data)
    assert not Questionnaire.objects.exists()


def test_single_multiple_and_scale_scores(small_structure):
    q1, q1_suite = small_structure.axes[0].questions
    q2, q3 = small_structure.axes[1].questions
    assert engine.question_score(q1, engine.AnswerValue((_option(q1, "oui").id,))) == (100, False)
    assert engine.question_score(q1_suite, engine.AnswerValue(value=3)) == (50, False)
    both = engine.AnswerValue((_option(q2, "x").id, _option(q2, "y").id))
    assert engine.question_score(q2, both) == (100, False)  # 60 + 60 capped at 100
    assert engine.question_score(q1, engine.AnswerValue((_option(q1, "nsp").id,))) == (0, True)


def test_hidden_questions_do_not_count_and_unknown_is_reported(small_structure):
    q1, q1_suite = small_structure.axes[0].questions
    q2, q3 = small_structure.axes[1].questions
    answers = {
        q1.id: engine.AnswerValue((_option(q1, "nsp").id,)),
        q1_suite.id: engine.AnswerValue(value=5),  # hidden: q1 is not "oui"
        q2.id: engine.AnswerValue((_option(q2, "x").id,)),
        q3.id: engine.AnswerValue((_option(q3, "oui").id,)),  # hidden too
    }
    scores = engine.compute_scores(small_structure, answers)
    a, b = scores.axes
    assert (a.score, a.unknown_count) == (0, 1)
    assert b.score == 60
    assert scores.overall == 30
    assert [p.key for p in scores.priorities] == ["a"]
    assert engine.visible_answers(small_structure, answers).keys() == {q1.id, q2.id}


def test_weights_count(small, small_structure):
    q1, q1_suite = small_structure.axes[0].questions
    q1_suite.weight = 3
    answers = {
        q1.id: engine.AnswerValue((_option(q1, "oui").id,)),
        q1_suite.id: engine.AnswerValue(value=1),
    }
    assert engine.compute_scores(small_structure, answers).axes[0].score == 25


def test_clean_answers_refuses_bad_values_in_french(small_structure):
    q1, q1_suite = small_structure.axes[0].questions
    q2 = small_structure.axes[1].questions[0]
    raw = {
        q1.id: [str(_option(q1, "oui").id), str(_option(q1, "non").id)],
        q1_suite.id: ["0"],
        q2.id: [str(_option(q2, "x").id), "abc"],
    }
    _answers, errors = engine.clean_answers([q1, q1_suite, q2], lambda q: raw.get(q.id, []))
    assert errors[q1.id] == "Choisissez une seule réponse."
    assert errors[q1_suite.id] == "Choisissez une valeur entre 1 et 5."
    assert "n'existe pas" in errors[q2.id]


def test_unknown_cannot_be_combined(seeded):
    structure = engine.build_structure(seeded)
    question = next(q for q in structure.questions.values() if q.kind == "multiple")
    question.options[-1] = engine.OptionData(999, "nsp", "Je ne sais pas", 0, True)
    _a, errors = engine.clean_answers([question], lambda q: [str(q.options[0].id), "999"])
    assert "ne peut pas être coché" in errors[question.id]


def test_duplicate_then_publish_archives_the_old_version_and_keeps_answers(seeded, client):
    client.post("/autodiagnostic/commencer/", {})
    draft = services.duplicate_questionnaire(source=seeded)
    assert draft.version == 2 and draft.status == QuestionnaireStatus.DRAFT
    assert (
        Question.objects.filter(axis__questionnaire=draft).count()
        == Question.objects.filter(axis__questionnaire=seeded).count()
    )
    conditional = Question.objects.filter(
        axis__questionnaire=draft, condition_question__isnull=False
    )
    assert conditional.count() >= 2
    assert all(q.condition_question.axis.questionnaire_id == draft.pk for q in conditional)
    assert draft.rules.count() == seeded.rules.count()
    assert all(r.axis is None or r.axis.questionnaire_id == draft.pk for r in draft.rules.all())
    services.publish_questionnaire(questionnaire=draft)
    seeded.refresh_from_db()
    assert seeded.status == QuestionnaireStatus.ARCHIVED
    assert seeded.responses.count() == 1
    with pytest.raises(DiagnosticError, match="Seul un brouillon"):
        services.publish_questionnaire(questionnaire=seeded)


def test_small_fixture_is_valid(small):
    assert small.axes.count() == len(SMALL["axes"])
