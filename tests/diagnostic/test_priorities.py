"""#14 item 1: priorities and strengths by the thresholds of the questionnaire version."""

import json

import pytest

from ressourcerie.diagnostic import engine, services
from ressourcerie.diagnostic.errors import QuestionnaireDataError
from ressourcerie.diagnostic.models import Questionnaire

from .conftest import SMALL, complete_via_client


def _structure(scores: dict[str, int], **thresholds) -> tuple[engine.Structure, engine.Answers]:
    """One 0–100 scale question per axis, answered with the wanted score."""
    axes, answers = [], {}
    for index, (key, score) in enumerate(scores.items(), start=1):
        question = engine.QuestionData(
            id=index,
            key=f"q{key}",
            text=f"Question {key}",
            help_text="",
            kind="scale",
            weight=1,
            required=True,
            scale_min=0,
            scale_max=100,
            scale_min_label="",
            scale_max_label="",
            axis_key=key,
            condition_question_id=None,
            condition_option_ids=frozenset(),
        )
        axes.append(engine.AxisData(index, key, key.upper(), "", [question]))
        answers[index] = engine.AnswerValue(value=score)
    return engine.Structure(1, 1, "T", axes, **thresholds), answers


def _flags(structure, answers):
    scores = engine.compute_scores(structure, answers)
    return [a.key for a in scores.priorities], [a.key for a in scores.strengths]


def test_priorities_are_the_three_lowest_under_sixty_by_default():
    structure, answers = _structure({"a": 40, "b": 40, "c": 59, "d": 20, "e": 60, "f": 90})
    priorities, strengths = _flags(structure, answers)
    assert sorted(priorities) == ["a", "b", "d"]  # c (59) is the fourth: not listed
    assert strengths == ["f"]


def test_an_axis_at_the_threshold_is_not_a_priority():
    structure, answers = _structure({"a": 60, "b": 61, "c": 59})
    assert _flags(structure, answers)[0] == ["c"]


def test_strong_everywhere_has_no_priority():
    structure, answers = _structure({"a": 65, "b": 80, "c": 75, "d": 90, "e": 100})
    priorities, strengths = _flags(structure, answers)
    assert priorities == []
    assert strengths == ["b", "d", "e"]  # the three strongest (c, 75, is the fourth)


def test_thresholds_come_from_the_version():
    structure, answers = _structure(
        {"a": 40, "b": 50, "c": 55}, priority_below=45, strength_from=50
    )
    priorities, strengths = _flags(structure, answers)
    assert priorities == ["a"]
    assert strengths == ["b", "c"]


def test_version_thresholds_are_loaded_copied_and_checked(db):
    data = json.loads(json.dumps(SMALL)) | {"priority_below": 35, "strength_from": 80}
    questionnaire, _outcome = services.load_questionnaire(data=data)
    structure = engine.build_structure(questionnaire)
    assert (structure.priority_below, structure.strength_from) == (35, 80)
    copy = services.duplicate_questionnaire(source=questionnaire)
    assert (copy.priority_below, copy.strength_from) == (35, 80)
    with pytest.raises(QuestionnaireDataError, match="priority_below"):
        services.load_questionnaire(data=data | {"version": 7, "priority_below": 90})
    assert not Questionnaire.objects.filter(version=7).exists()


def test_seed_declares_the_default_thresholds(seeded):
    assert (seeded.priority_below, seeded.strength_from) == (60, 70)


def test_strong_association_is_told_it_has_no_priority_and_what_to_keep_doing(client, seeded):
    client.post("/autodiagnostic/commencer/", {"members_band": "", "sector": "", "department": ""})
    complete_via_client(client, engine.build_structure(seeded), choose="first")
    content = client.get("/autodiagnostic/resultats/").content.decode()
    assert "Vos priorités" not in content
    assert "Aucune priorité : tous vos thèmes sont à 60 sur 100 ou plus." in content
    assert "Continuez ce qui marche" in content
    assert 'class="diag-chart-bar diag-chart-priority"' not in content
