import json
from pathlib import Path

import pytest

from ressourcerie.diagnostic import engine, services

SEED = (
    Path(__file__).resolve().parents[2]
    / "ressourcerie"
    / "diagnostic"
    / "seed"
    / "questionnaire-v1.json"
)


def seed_data() -> dict:
    return json.loads(SEED.read_text(encoding="utf-8"))


SMALL = {
    "version": 1,
    "title": "Petit questionnaire",
    "axes": [
        {
            "key": "a",
            "name": "Axe A",
            "questions": [
                {
                    "key": "q1",
                    "kind": "single",
                    "text": "Question 1 ?",
                    "help": "Aide 1.",
                    "options": [
                        {"key": "oui", "label": "Oui", "score": 100},
                        {"key": "non", "label": "Non", "score": 0},
                        {"key": "nsp", "label": "Je ne sais pas", "score": 0, "unknown": True},
                    ],
                },
                {
                    "key": "q1-suite",
                    "kind": "scale",
                    "text": "Suite de la question 1 ?",
                    "help": "Seulement si oui.",
                    "condition": {"question": "q1", "options": ["oui"]},
                    "scale_min": 1,
                    "scale_max": 5,
                },
            ],
        },
        {
            "key": "b",
            "name": "Axe B",
            "questions": [
                {
                    "key": "q2",
                    "kind": "multiple",
                    "text": "Question 2 ?",
                    "help": "Aide 2.",
                    "options": [
                        {"key": "x", "label": "X", "score": 60},
                        {"key": "y", "label": "Y", "score": 60},
                        {"key": "aucun", "label": "Aucun", "score": 0},
                    ],
                },
                {
                    "key": "q3",
                    "kind": "single",
                    "text": "Question 3, si 1 = oui ?",
                    "help": "Aide 3.",
                    "condition": {"question": "q1", "options": ["oui"]},
                    "options": [
                        {"key": "oui", "label": "Oui", "score": 100},
                        {"key": "non", "label": "Non", "score": 0},
                    ],
                },
            ],
        },
    ],
    "rules": [
        {
            "key": "b-faible",
            "axis_below": {"axis": "b", "threshold": 40},
            "title": "Renforcer B",
            "text": "Conseil sur B.",
            "need": "ecriture-collaborative",
            "support": "outils-collaboratifs",
        },
        {
            "key": "q1-non",
            "answer_is": {"question": "q1", "option": "non"},
            "title": "Conseil pour non",
            "url": "https://example.org/guide",
        },
    ],
}


@pytest.fixture
def seeded(db):
    questionnaire, _outcome = services.load_questionnaire(data=seed_data())
    return questionnaire


@pytest.fixture
def small(db):
    questionnaire, _outcome = services.load_questionnaire(data=json.loads(json.dumps(SMALL)))
    return questionnaire


@pytest.fixture
def small_structure(small):
    return engine.build_structure(small)


def step_post(axis: engine.AxisData, version: int, choose: str = "first", action="next") -> dict:
    """Form data answering every question of ``axis`` (first/last known option, or scale)."""
    data = {"version": str(version), "action": action}
    for question in axis.questions:
        if question.kind == "scale":
            data[f"q{question.id}"] = str(
                question.scale_max if choose == "first" else question.scale_min
            )
            continue
        options = [o for o in question.options if not o.is_unknown]
        option = options[0] if choose == "first" else options[-1]
        data[f"q{question.id}"] = str(option.id)
    return data


def complete_via_client(client, structure: engine.Structure, choose="first"):
    for number, axis in enumerate(structure.axes, start=1):
        response = client.post(
            f"/autodiagnostic/etape/{number}/", step_post(axis, structure.version, choose)
        )
        assert response.status_code == 302, response.content.decode()[:3000]
    return response
