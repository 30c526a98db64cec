"""#14 item 6: conditional questions hidden with JavaScript, 0 in the PDF, no sentence
repeated (the chart and table at 320 px are checked by tests/browser)."""

import re

from ressourcerie.diagnostic import engine, recommendations
from ressourcerie.diagnostic.pdf import latin1

from .conftest import complete_via_client


def test_pdf_prints_zero_as_zero():
    assert latin1(0) == "0"
    assert latin1(None) == ""
    assert latin1("Sécurité – 0 €") == "Sécurité - 0 EUR"


def test_same_page_condition_is_marked_for_the_script_and_explained(client, small):
    client.post("/autodiagnostic/commencer/", {})
    content = client.get("/autodiagnostic/etape/1/").content.decode()
    structure = engine.build_structure(small)
    q1, q1_suite = structure.axes[0].questions
    ids = " ".join(str(i) for i in sorted(q1_suite.condition_option_ids))
    assert f'data-condition-question="q{q1.id}" data-condition-options="{ids}"' in content
    assert content.count("data-condition-question=") == 1  # q1 itself is not conditional
    assert "Répondez seulement si" in content  # the line shown without JavaScript
    assert "js/diagnostic-conditions" in content


def test_results_say_each_sentence_once(client, seeded):
    def two_tools(rule, context):
        return [
            recommendations.Recommendation(title=f"Outil A {rule.key}", url="/outils/a/"),
            recommendations.Recommendation(title=f"Outil B {rule.key}", url="/outils/b/"),
        ]

    saved = recommendations.saved_registry()
    recommendations.register_provider("need", two_tools)
    try:
        client.post("/autodiagnostic/commencer/", {})
        complete_via_client(client, engine.build_structure(seeded), choose="last")
        content = client.get("/autodiagnostic/resultats/").content.decode()
    finally:
        recommendations.restore_registry(saved)  # the toolbox's own, for the tests that follow
    assert content.count("feront le plus de différence") == 1
    text = re.sub(r"<[^>]+>", "\n", content)
    # Sentences: segments of visible text ending with a full stop (not names of axes).
    sentences = [s.strip() for s in text.split("\n") if s.strip().endswith(".") and len(s) > 40]
    assert any("Parce que" in s for s in sentences)
    repeated = {s for s in sentences if sentences.count(s) > 1}
    assert repeated == set()
