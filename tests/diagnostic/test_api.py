import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ressourcerie.diagnostic import engine


def _post(client, body):
    return client.post(
        "/api/v1/diagnostic/responses", json.dumps(body), content_type="application/json"
    )


def _full_answers(structure, choose="first"):
    answers = {}
    for question in structure.questions.values():
        if question.kind == "scale":
            answers[str(question.id)] = {
                "value": question.scale_max if choose == "first" else question.scale_min
            }
        else:
            known = [o for o in question.options if not o.is_unknown]
            answers[str(question.id)] = {
                "options": [(known[0] if choose == "first" else known[-1]).id]
            }
    return answers


def test_questionnaire_lists_axes_questions_and_options(client, seeded):
    body = client.get("/api/v1/diagnostic/questionnaire").json()
    assert body["version"] == 1
    assert len(body["axes"]) == 8
    question = body["axes"][0]["questions"][0]
    assert {"id", "key", "text", "help", "kind", "options", "condition"} <= set(question)
    conditional = [q for a in body["axes"] for q in a["questions"] if q["condition"]]
    assert len(conditional) >= 2


def test_questionnaire_404_when_none_is_published(client, db):
    response = client.get("/api/v1/diagnostic/questionnaire")
    assert response.status_code == 404
    assert response.json()["error"]["message"] == "Aucun questionnaire n'est publié."


def test_submission_returns_scores_and_recommendations(client, small, small_structure):
    response = _post(client, {"version": 1, "answers": _full_answers(small_structure, "last")})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["overall"] == 0
    assert [a["key"] for a in body["axes"]] == ["a", "b"]
    titles = [r["title"] for r in body["recommendations"]]
    assert "Renforcer B" in titles
    assert all(r["why"].startswith("Parce que") for r in body["recommendations"])


def test_submission_validates_version_required_options_and_ranges(client, small, small_structure):
    q1, q1_suite = small_structure.axes[0].questions
    q2 = small_structure.axes[1].questions[0]
    body = _post(client, {"version": 3, "answers": {}}).json()
    assert "version" in body["error"]["details"]
    answers = {
        str(q1.id): {"options": [q1.options[0].id]},
        str(q1_suite.id): {"value": 12},
        str(q2.id): {"options": [q1.options[0].id]},
        "999999": {"options": [1]},
    }
    response = _post(client, {"version": 1, "answers": answers})
    assert response.status_code == 422  # well-formed, refused by the questionnaire
    details = response.json()["error"]["details"]
    assert details[f"answers.{q1_suite.id}"] == ["Choisissez une valeur entre 1 et 5."]
    assert "n'existe pas" in details[f"answers.{q2.id}"][0]
    assert details["answers.999999"] == ["Cette question n'existe pas dans cette version."]
    response = _post(client, {"version": 1, "answers": {}})
    details = response.json()["error"]["details"]
    assert details[f"answers.{q1.id}"] == [
        "Répondez à cette question, ou choisissez « Je ne sais pas »."
    ]


def test_submission_is_rate_limited(client, small, small_structure, settings):
    settings.RATE_LIMITS_ENABLED = True
    codes = [_post(client, {"version": 1, "answers": {}}).status_code for _ in range(31)]
    assert codes[-1] == 429


def test_submission_stores_nothing(client, small, small_structure):
    from ressourcerie.diagnostic.models import DiagnosticResponse

    _post(client, {"version": 1, "answers": _full_answers(small_structure)})
    assert not DiagnosticResponse.objects.exists()


answer_values = st.fixed_dictionaries(
    {},
    optional={
        "options": st.lists(st.one_of(st.integers(-5, 10**6), st.text(max_size=5)), max_size=6),
        "value": st.one_of(
            st.none(), st.integers(-(10**9), 10**9), st.text(max_size=4), st.booleans()
        ),
    },
)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    body=st.one_of(
        st.fixed_dictionaries(
            {
                "version": st.one_of(st.just(1), st.integers(), st.text(max_size=3)),
                "answers": st.dictionaries(
                    st.one_of(st.integers(0, 10**6).map(str), st.text(max_size=6)),
                    answer_values,
                    max_size=8,
                ),
            }
        ),
        st.recursive(
            st.none() | st.integers() | st.text(max_size=5),
            lambda c: st.lists(c, max_size=3),
            max_leaves=5,
        ),
    )
)
def test_fuzzed_submissions_never_crash(client, small, body):
    from django.core.cache import cache

    cache.clear()
    response = _post(client, body)
    assert response.status_code in (200, 400, 422), response.content
    assert "error" in response.json() or "axes" in response.json()


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    data=st.dictionaries(
        st.sampled_from(["version", "action", "q1", "q2", "q3", "q4", "q999"]),
        st.lists(st.text(max_size=8) | st.integers(-3, 10**6).map(str), max_size=3),
        max_size=7,
    )
)
def test_fuzzed_step_posts_never_crash_and_keep_the_page(client, small, data):
    from django.core.cache import cache

    cache.clear()
    client.post("/autodiagnostic/commencer/", {})
    response = client.post("/autodiagnostic/etape/1/", data)
    assert response.status_code in (200, 302)


def test_structure_from_api_can_be_answered_back(client, seeded):
    questionnaire = client.get("/api/v1/diagnostic/questionnaire").json()
    structure = engine.build_structure(seeded)
    assert questionnaire["version"] == structure.version
    response = _post(client, {"version": 1, "answers": _full_answers(structure)})
    assert response.status_code == 200
    assert response.json()["overall"] >= 70
