"""The self-diagnostic with JavaScript off: complete it, leave, resume through the private
link in another browser, get results, then retake it and see the progress.

(axe cannot run in a context without JavaScript: the pages are checked by test_pages.)"""

import re

from . import diagnostic_setups


def _answer_page(page, pick: str = "first"):
    questions = page.locator("fieldset.diag-question")
    for index in range(questions.count()):
        inputs = questions.nth(index).locator("input")
        (inputs.first if pick == "first" else inputs.nth(inputs.count() - 1)).check()


def test_complete_leave_resume_get_results_and_retake_without_javascript(
    live_server, no_js_context
):
    diagnostic_setups.questionnaire()
    page = no_js_context().new_page()
    page.set_content("<title>off</title><script>document.title = 'on'</script>")
    assert page.title() == "off", "JavaScript is not disabled"

    page.goto(live_server.url + "/autodiagnostic/")
    page.get_by_role("link", name="Commencer le diagnostic").click()
    page.get_by_label("Secteur d'activité").select_option("culture")
    page.get_by_role("button", name="Commencer les questions").click()

    # Skipping everything is refused in French, on the page.
    page.get_by_role("button", name="Suivant").click()
    assert page.locator(".alert-error").count() == 1
    assert "Répondez à cette question" in page.locator("main").inner_text()

    for number in (1, 2):
        assert f"Étape {number} sur 8" in page.locator("main").inner_text()
        _answer_page(page, "first")
        page.get_by_role("button", name="Suivant").click()

    assert "Étape 3 sur 8" in page.locator("main").inner_text()
    page.get_by_role("button", name="Enregistrer et reprendre plus tard").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Vos réponses sont enregistrées"
    link = page.locator(".diag-link a").get_attribute("href")
    assert re.search(r"/autodiagnostic/reprendre/[\w-]{20,}/$", link)

    # Another browser, no cookies: the link brings the diagnostic back at step 3.
    page = no_js_context().new_page()
    page.goto(link)
    assert "Étape 3 sur 8" in page.locator("main").inner_text()
    page.get_by_role("button", name="Précédent").click()
    assert "Étape 2 sur 8" in page.locator("main").inner_text()
    assert page.locator("fieldset.diag-question input:checked").count() >= 3  # answers kept
    page.get_by_role("button", name="Suivant").click()
    for number in range(3, 9):
        assert f"Étape {number} sur 8" in page.locator("main").inner_text()
        _answer_page(page, "last")
        label = "Voir mes résultats" if number == 8 else "Suivant"
        page.get_by_role("button", name=label).click()

    assert page.get_by_role("heading", level=1).inner_text() == "Vos résultats"
    main = page.locator("main").inner_text()
    assert "Vos priorités" in main
    assert "Pourquoi cette recommandation ?" in main
    assert page.locator("svg[role='img'] title").count() == 1
    assert page.locator("table th[scope='row']").count() == 8

    # Retake: the new results show before/after per axis.
    page.get_by_role("button", name="Refaire le diagnostic").click()
    for number in range(1, 9):
        _answer_page(page, "first")
        label = "Voir mes résultats" if number == 8 else "Suivant"
        page.get_by_role("button", name=label).click()
    assert page.get_by_role("heading", level=1).inner_text() == "Vos résultats"
    assert "Évolution" in page.locator("table").inner_text()
    assert "Lors de votre précédent diagnostic" in page.locator("main").inner_text()


def test_same_page_condition_hides_the_question_until_it_holds_with_javascript(
    live_server, new_context
):
    diagnostic_setups.questionnaire()
    page = new_context().new_page()
    page.goto(live_server.url + "/autodiagnostic/commencer/")
    page.get_by_role("button", name="Commencer les questions").click()
    dependent = page.locator("fieldset.diag-question").filter(
        has_text="Combien de temps cette personne y consacre-t-elle ?"
    )
    assert dependent.count() == 1
    assert not dependent.is_visible()
    page.get_by_label("Oui, mais de façon informelle").check()
    assert dependent.is_visible()
    page.get_by_label("Non, personne en particulier").check()
    assert not dependent.is_visible()


def test_results_chart_and_table_readable_at_320_px(live_server, new_context):
    token = diagnostic_setups.completed()["token"]
    page = new_context(viewport={"width": 320, "height": 700}).new_page()
    page.goto(f"{live_server.url}/autodiagnostic/reprendre/{token}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Vos résultats"
    # Rendered size of the chart's labels: font size in SVG units × the drawing's scale.
    sizes = page.evaluate(
        """() => {
          const svg = document.querySelector('.diag-chart svg');
          const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
          return [...svg.querySelectorAll('text')].map(
            (t) => parseFloat(getComputedStyle(t).fontSize) * scale);
        }"""
    )
    assert len(sizes) == 16 and min(sizes) >= 12, sizes
    # No word of the table broken mid-letter (one line per word; a hyphen may end a line).
    broken = page.evaluate(
        """() => {
          const found = [];
          for (const cell of document.querySelectorAll('table.diag-scores th, table.diag-scores td')) {
            const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
              for (const match of node.textContent.matchAll(/[^\\s-]+/g)) {
                const range = document.createRange();
                range.setStart(node, match.index);
                range.setEnd(node, match.index + match[0].length);
                const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
                if (lines.size > 1) found.push(match[0]);
              }
            }
          }
          return found;
        }"""
    )
    assert broken == []
    # The page itself does not scroll sideways (the table scrolls in its wrapper if needed).
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
