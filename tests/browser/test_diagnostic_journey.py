"""The self-diagnostic with JavaScript off: complete it, leave, resume through the private
link in another browser, get results, then retake it and see the progress.

(axe cannot run in a context without JavaScript: the pages are checked by test_pages.)"""

import re

from playwright.sync_api import expect

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
    # expect() waits for the page's script (it runs once the page is parsed, which may come
    # after the click returns on a loaded machine).
    expect(dependent).to_be_hidden()
    page.get_by_label("Oui, mais de façon informelle").check()
    expect(dependent).to_be_visible()
    page.get_by_label("Non, personne en particulier").check()
    expect(dependent).to_be_hidden()


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


# --- #14 "Done when": the plan, as a new user would, with JavaScript off --------------------
def _answer_by_score(page, structure, *, weak_axes=(), all_weak=False):
    """Answer the current step: the lowest-scoring choice on weak axes, the highest elsewhere
    (questions hidden by an earlier page's answer are not on the page)."""
    number = int(re.search(r"Étape (\d+) sur", page.locator("main").inner_text()).group(1))
    axis = structure.axes[number - 1]
    weak = all_weak or axis.key in weak_axes
    for question in axis.questions:
        if question.kind == "scale":
            value = question.scale_min if weak else question.scale_max
        else:
            known = sorted((o for o in question.options if not o.is_unknown), key=lambda o: o.score)
            value = (known[0] if weak else known[-1]).id
        field = page.locator(f"input[name='q{question.id}'][value='{value}']")
        if field.count():
            field.check()
    return number


def _take(page, structure, **choice):
    for _step in range(structure.step_count):
        number = _answer_by_score(page, structure, **choice)
        label = "Voir mes résultats" if number == structure.step_count else "Suivant"
        page.get_by_role("button", name=label).click()
    assert page.get_by_role("heading", level=1).inner_text() == "Vos résultats"


def _start(page, live_server, organisation=None):
    page.goto(live_server.url + "/autodiagnostic/commencer/")
    if organisation is not None:
        page.get_by_label("Pour quelle association ?").select_option(str(organisation.pk))
    page.get_by_role("button", name="Commencer les questions").click()


def _plan_cards(page):
    return page.locator(".diag-plan-actions > li")


def test_the_plan_follows_the_answers_without_javascript(live_server, no_js_context):
    from ressourcerie.diagnostic import engine

    structure = engine.build_structure(diagnostic_setups.questionnaire()["questionnaire"])
    security = structure.axis_by_key("securite")

    # Weak in security only: the plan opens with security actions quoting security answers.
    page = no_js_context().new_page()
    _start(page, live_server)
    _take(page, structure, weak_axes={"securite"})
    cards = _plan_cards(page)
    assert cards.count() >= 2
    first = cards.first.inner_text()
    assert f"Thème : {security.name}" in first and "pour commencer" in first
    other_questions = [q.text for a in structure.axes if a.key != "securite" for q in a.questions]
    for index in range(cards.count()):
        card = cards.nth(index).inner_text()
        if f"Thème : {security.name}" not in card:
            continue
        why = card[card.index("Pourquoi cette recommandation ?") :]
        assert any(q.text in why for q in security.questions) or "« Sécurité" in why, why
        assert not any(text in why for text in other_questions), why

    # Weak everywhere: ten ranked actions, "pour commencer" on the first three.
    page = no_js_context().new_page()
    _start(page, live_server)
    _take(page, structure, all_weak=True)
    cards = _plan_cards(page)
    assert cards.count() == 10
    starters = [cards.nth(i).locator(".diag-starter-tag").count() for i in range(10)]
    assert starters == [1, 1, 1] + [0] * 7
    assert "Aller plus loin" in page.locator("main").inner_text()

    # Strong everywhere: no priority, told what to keep doing.
    page = no_js_context().new_page()
    _start(page, live_server)
    _take(page, structure)
    main = page.locator("main").inner_text()
    assert "Aucune priorité" in main and "Continuez ce qui marche" in main
    assert "Vos priorités" not in main


def test_a_member_marks_an_action_done_and_sees_it_on_the_next_diagnostic(
    live_server, no_js_context
):
    from ressourcerie.core.roles import Role
    from ressourcerie.diagnostic import engine
    from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

    structure = engine.build_structure(diagnostic_setups.questionnaire()["questionnaire"])
    organisation = OrganisationFactory(name="Les Amis du Jardin")
    member = UserFactory(display_name="Camille")
    MembershipFactory(user=member, organisation=organisation, role=Role.MEMBER)

    page = no_js_context(user=member).new_page()
    _start(page, live_server, organisation)
    _take(page, structure, all_weak=True)
    title = _plan_cards(page).first.locator("h3").inner_text().replace("pour commencer", "")
    title = title.strip()
    page.get_by_role("link", name="Mon plan d'action").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Mon plan d'action"
    card = page.locator("article.diag-action").filter(has_text=title).first
    card.get_by_role("button", name=f"C'est fait : {title}").click()
    assert page.locator(".messages .alert").filter(has_text=f"« {title} » : fait.").count() == 1
    card = page.locator("article.diag-action").filter(has_text=title).first
    assert "Fait" in card.inner_text() and "par Camille" in card.inner_text()

    # The next diagnostic for the association shows what moved.
    _start(page, live_server, organisation)
    _take(page, structure)
    moved = page.locator(".diag-moved").inner_text()
    assert "Ce qui a bougé depuis le diagnostic du" in moved
    assert title in moved and "faite le" in moved
    assert "colonne « Évolution »" in moved
