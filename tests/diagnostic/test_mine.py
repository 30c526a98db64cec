"""« Mes diagnostics »: a signed-in person's past diagnostics, their results, and resuming."""

import re
from datetime import UTC, datetime

import pytest

from ressourcerie.diagnostic import engine, selectors, services
from ressourcerie.diagnostic.models import DiagnosticResponse
from tests.factories import OrganisationFactory, UserFactory

MINE = "/autodiagnostic/mes-diagnostics/"


def _answer(response, structure, *, high: bool, upto_step: int | None = None):
    axes = structure.axes[: upto_step or len(structure.axes)]
    questions = [q for a in axes for q in a.questions]
    answers = {}
    for question in questions:
        if question.kind == "scale":
            answers[question.id] = engine.AnswerValue(
                value=question.scale_max if high else question.scale_min
            )
        else:
            known = [o for o in question.options if not o.is_unknown]
            answers[question.id] = engine.AnswerValue(((known[0] if high else known[-1]).id,))
    services.save_answers(
        response=response, structure=structure, questions=questions, answers=answers
    )


def _completed(questionnaire, user, *, year=2024, high=False, previous=None, **profile):
    structure = engine.build_structure(questionnaire)
    response, _token = services.start_response(
        questionnaire=questionnaire, user=user, previous=previous, **profile
    )
    _answer(response, structure, high=high)
    services.complete_response(response=response, structure=structure)
    DiagnosticResponse.objects.filter(pk=response.pk).update(
        completed_at=datetime(year, 3, 15, 10, tzinfo=UTC)
    )
    response.refresh_from_db()
    return response


def _unfinished(questionnaire, user, *, step=2):
    structure = engine.build_structure(questionnaire)
    response, token = services.start_response(questionnaire=questionnaire, user=user)
    _answer(response, structure, high=True, upto_step=step - 1)
    response.current_step = step
    response.save()
    return response, token


def _detail(response) -> str:
    return f"{MINE}{response.pk}/"


def test_anonymous_visitor_is_sent_to_sign_in(client, small):
    response = _completed(small, UserFactory())
    unfinished, _token = _unfinished(small, UserFactory())
    for url in (MINE, _detail(response), f"{_detail(response)}rapport.pdf"):
        answer = client.get(url)
        assert answer.status_code == 302, url
        assert answer["Location"].startswith("/compte/connexion/?next="), url
    answer = client.post(f"{MINE}{unfinished.pk}/reprendre/")
    assert answer["Location"].startswith("/compte/connexion/?next=")


def test_lists_only_ones_own_diagnostics_newest_first(client, small):
    user = UserFactory()
    organisation = OrganisationFactory(name="Les Amis du Jardin")
    older = _completed(small, user, year=2022)
    newer = _completed(small, user, year=2024, organisation=organisation)
    someone_elses = _completed(small, UserFactory(), year=2023)
    anonymous = _completed(small, None, year=2023)
    client.force_login(user)
    page = client.get(MINE).content.decode()
    assert _detail(newer) in page and _detail(older) in page
    assert page.index(_detail(newer)) < page.index(_detail(older))
    assert _detail(someone_elses) not in page and _detail(anonymous) not in page
    assert "Les Amis du Jardin" in page
    assert "15 mars 2024" in page and "15 mars 2022" in page
    assert f"{newer.overall_score} sur 100" in page


def test_unfinished_diagnostic_is_listed_as_started_and_in_progress(client, small):
    user = UserFactory()
    _completed(small, user, year=2020)
    unfinished, _token = _unfinished(small, user, step=2)
    client.force_login(user)
    page = client.get(MINE).content.decode()
    assert "commencé le" in page
    assert "en cours</span> étape 2 sur 2" in page
    assert f'href="{_detail(unfinished)}"' not in page
    # Started today, it is newer than the one completed in 2020.
    assert page.index("commencé le") < page.index("15 mars 2020")


def test_paginates_twenty_per_page(client, small):
    user = UserFactory()
    for year in range(2000, 2021):
        _completed(small, user, year=year)
    client.force_login(user)
    first = client.get(MINE).content.decode()
    assert first.count("Voir les résultats") == 20
    assert "Page 1 sur 2" in first and 'rel="next"' in first
    assert "15 mars 2020" in first and "15 mars 2000" not in first
    second = client.get(MINE, {"page": 2}).content.decode()
    assert second.count("Voir les résultats") == 1
    assert "15 mars 2000" in second
    assert client.get(MINE, {"page": "n'importe quoi"}).status_code == 200


def test_query_count_does_not_grow_with_the_rows(client, small, django_assert_max_num_queries):
    user = UserFactory()
    first = _completed(small, user, year=2000)
    for year in range(2001, 2021):
        first = _completed(small, user, year=year, previous=first)
    client.force_login(user)
    with django_assert_max_num_queries(12):
        assert client.get(MINE).status_code == 200


def test_empty_state_invites_to_start_in_french(client, small):
    client.force_login(UserFactory())
    _completed(small, UserFactory())
    page = client.get(MINE).content.decode()
    assert "Vous n'avez pas encore fait d'autodiagnostic avec votre compte." in page
    assert 'href="/autodiagnostic/"' in page
    assert 'class="cards"' not in page


def test_list_shows_the_evolution_since_the_previous_diagnostic(client, small):
    user = UserFactory()
    before = _completed(small, user, year=2023, high=False)
    after = _completed(small, user, year=2024, high=True, previous=before)
    assert after.overall_score > before.overall_score
    client.force_login(user)
    page = client.get(MINE).content.decode()
    delta = after.overall_score - before.overall_score
    assert f"Évolution : +{delta} points" in page
    assert f"(précédent : {before.overall_score} sur 100)" in page
    # The first one has nothing to compare with.
    assert page.count("Évolution :") == 1
    detail = client.get(_detail(after)).content.decode()
    assert "Évolution" in detail
    assert "Lors de votre précédent diagnostic" in detail


def test_owner_sees_the_results_without_the_session_only_parts(client, small):
    user = UserFactory()
    response = _completed(small, user, year=2023)
    client.force_login(user)
    answer = client.get(_detail(response))
    assert answer.status_code == 200
    page = answer.content.decode()
    assert "Vos résultats" in page and "Votre score par thème" in page
    assert "Diagnostic terminé le 15 mars 2023" in page
    assert "Votre lien privé" not in page
    assert "/autodiagnostic/reprendre/" not in page
    assert 'action="/autodiagnostic/refaire/"' not in page
    assert f'href="{_detail(response)}rapport.pdf"' in page
    assert 'href="/autodiagnostic/mes-diagnostics/"' in page
    pdf = client.get(f"{_detail(response)}rapport.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert 'filename="autodiagnostic-2023-03-15.pdf"' in pdf["Content-Disposition"]


@pytest.mark.parametrize("kind", ["someone_elses", "unfinished", "anonymous", "missing"])
def test_detail_and_pdf_are_404_for_anything_but_ones_own_completed(client, small, kind):
    user = UserFactory()
    target = {
        "someone_elses": lambda: _completed(small, UserFactory()),
        "unfinished": lambda: _unfinished(small, user)[0],
        "anonymous": lambda: _completed(small, None),
        "missing": lambda: DiagnosticResponse(pk=999999),
    }[kind]()
    client.force_login(user)
    assert client.get(_detail(target)).status_code == 404
    assert client.get(f"{_detail(target)}rapport.pdf").status_code == 404


def test_resuming_puts_the_unfinished_diagnostic_back_with_a_new_private_link(client, small):
    user = UserFactory()
    response, old_token = _unfinished(small, user, step=2)
    client.force_login(user)
    page = client.get(MINE).content.decode()
    assert f'action="{MINE}{response.pk}/reprendre/"' in page
    answer = client.post(f"{MINE}{response.pk}/reprendre/")
    assert answer.status_code == 302
    assert answer["Location"] == "/autodiagnostic/etape/2/"
    step = client.get("/autodiagnostic/etape/2/")
    assert step.status_code == 200
    content = step.content.decode()
    assert "Votre diagnostic est repris" in content
    # The old link no longer works; the new one shown on the step does, in another browser.
    assert selectors.response_by_token(old_token) is None
    assert client.get(f"/autodiagnostic/reprendre/{old_token}/").status_code == 404
    new_link = re.search(r'href="http://testserver(/autodiagnostic/reprendre/[^"]+/)"', content)
    from django.test import Client

    assert Client().get(new_link.group(1)).status_code == 200
    assert selectors.response_by_token(new_link.group(1).split("/")[-2]) == response


def test_only_ones_most_recent_unfinished_diagnostic_can_be_resumed(client, small):
    user = UserFactory()
    older, _t = _unfinished(small, user)
    DiagnosticResponse.objects.filter(pk=older.pk).update(
        created_at=datetime(2020, 1, 1, tzinfo=UTC)
    )
    newer, _t = _unfinished(small, user)
    someone_elses, _t = _unfinished(small, UserFactory())
    client.force_login(user)
    page = client.get(MINE).content.decode()
    assert page.count(">Reprendre<") == 1
    assert f"{MINE}{newer.pk}/reprendre/" in page
    for other in (older, someone_elses):
        assert client.post(f"{MINE}{other.pk}/reprendre/").status_code == 404
    assert client.get(f"{MINE}{newer.pk}/reprendre/").status_code == 405
    assert "diagnostic" not in client.session


def test_signed_in_person_finds_the_page_from_the_intro_and_the_results(client, small):
    from .conftest import complete_via_client

    assert "Retrouver tous vos diagnostics" not in client.get("/autodiagnostic/").content.decode()
    user = UserFactory()
    client.force_login(user)
    assert (
        'href="/autodiagnostic/mes-diagnostics/"' in client.get("/autodiagnostic/").content.decode()
    )
    client.post("/autodiagnostic/commencer/", {})
    complete_via_client(client, engine.build_structure(small))
    results = client.get("/autodiagnostic/resultats/").content.decode()
    assert 'href="/autodiagnostic/mes-diagnostics/"' in results
    # The session's own results page keeps its private link and retake button.
    assert "Votre lien privé" in results and 'action="/autodiagnostic/refaire/"' in results
    assert DiagnosticResponse.objects.get().user == user


def test_a_lower_score_shows_as_a_fall(client, small):
    user = UserFactory()
    before = _completed(small, user, year=2023, high=True)
    after = _completed(small, user, year=2024, high=False, previous=before)
    client.force_login(user)
    page = client.get(MINE).content.decode()
    assert f"Évolution : −{before.overall_score - after.overall_score} points" in page
