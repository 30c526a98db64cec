import csv
import io

import pytest

from ressourcerie.diagnostic import engine, selectors, services
from ressourcerie.diagnostic.errors import DiagnosticError
from ressourcerie.diagnostic.models import (
    Questionnaire,
    QuestionnaireStatus,
    QuestionnaireTransition,
)
from tests.factories import DepartmentFactory, StaffFactory, UserFactory

from .conftest import complete_via_client


def _completed(questionnaire, structure, *, high: bool, **profile):
    response, _token = services.start_response(questionnaire=questionnaire, **profile)
    answers = {}
    for question in structure.questions.values():
        if question.kind == "scale":
            answers[question.id] = engine.AnswerValue(
                value=question.scale_max if high else question.scale_min
            )
        else:
            known = [o for o in question.options if not o.is_unknown]
            answers[question.id] = engine.AnswerValue(((known[0] if high else known[-1]).id,))
    services.save_answers(
        response=response,
        structure=structure,
        questions=list(structure.questions.values()),
        answers=answers,
    )
    services.complete_response(response=response, structure=structure)
    return response


def test_comparison_appears_only_with_ten_similar_responses(client, small, small_structure):
    for _ in range(9):
        _completed(small, small_structure, high=True, sector="culture")
    client.post("/autodiagnostic/commencer/", {"sector": "culture"})
    complete_via_client(client, small_structure, choose="last")
    content = client.get("/autodiagnostic/resultats/").content.decode()
    assert "Associations du même secteur" not in content
    assert "au moins 10 diagnostics" in content
    _completed(small, small_structure, high=True, sector="culture")
    content = client.get("/autodiagnostic/resultats/").content.decode()
    assert "Associations du même secteur (Culture et patrimoine)" in content
    assert "10 diagnostics" in content


def test_dashboard_refuses_strangers(client, small):
    assert client.get("/gestion/autodiagnostic/")["Location"].startswith("/compte/connexion/")
    client.force_login(UserFactory())
    for url in [
        "/gestion/autodiagnostic/",
        "/gestion/autodiagnostic/agregats.csv",
        "/gestion/autodiagnostic/versions/",
    ]:
        assert client.get(url).status_code == 403
    assert (
        client.post("/gestion/autodiagnostic/versions/", {"action": "duplicate"}).status_code == 403
    )


def test_dashboard_shows_counts_averages_and_priorities(client, small, small_structure):
    department = DepartmentFactory()
    _completed(small, small_structure, high=False, department=department, sector="sport")
    _completed(small, small_structure, high=True, department=department, sector="sport")
    client.force_login(StaffFactory())
    content = client.get("/gestion/autodiagnostic/").content.decode()
    assert "2 diagnostics terminés" in content
    assert "44 – Loire-Atlantique" in content
    assert "Sport" in content
    assert "Axe A" in content and "Axe B" in content
    assert "Priorités les plus fréquentes" in content


def test_csv_export_suppresses_groups_under_ten(client, small, small_structure):
    department = DepartmentFactory()
    for _ in range(10):
        _completed(small, small_structure, high=True, department=department, sector="sport")
    for _ in range(3):
        _completed(small, small_structure, high=False, sector="culture")
    client.force_login(StaffFactory())
    response = client.get("/gestion/autodiagnostic/agregats.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    keys = {(r["dimension"], r["code"]) for r in rows}
    assert ("ensemble", "") in keys
    assert ("departement", "44") in keys
    assert ("secteur", "sport") in keys
    assert ("secteur", "culture") not in keys
    assert all(int(r["diagnostics"]) >= 10 for r in rows)
    total = next(r for r in rows if r["dimension"] == "ensemble")
    assert total["diagnostics"] == "13" and total["axe_a"] != ""


def test_versions_page_duplicates_and_publishes(client, small):
    client.force_login(StaffFactory())
    assert "Créer un brouillon" in client.get("/gestion/autodiagnostic/versions/").content.decode()
    client.post("/gestion/autodiagnostic/versions/", {"action": "duplicate"})
    draft = Questionnaire.objects.get(version=2)
    assert draft.status == QuestionnaireStatus.DRAFT
    content = client.get("/gestion/autodiagnostic/versions/").content.decode()
    assert "Publier la version 2" in content
    client.post(
        "/gestion/autodiagnostic/versions/", {"action": "publish", "questionnaire": draft.pk}
    )
    draft.refresh_from_db()
    small.refresh_from_db()
    assert draft.status == QuestionnaireStatus.PUBLISHED
    assert small.status == QuestionnaireStatus.ARCHIVED
    response = client.post(
        "/gestion/autodiagnostic/versions/",
        {"action": "publish", "questionnaire": "abc"},
        follow=True,
    )
    assert "Choisissez une version à publier." in response.content.decode()


@pytest.mark.parametrize("status", ["published", "archived"])
def test_admin_cannot_edit_a_non_draft_version(client, small, status):
    Questionnaire.objects.filter(pk=small.pk).update(status=status)
    admin = StaffFactory(is_superuser=True)
    client.force_login(admin)
    response = client.post(
        f"/gestion/admin/diagnostic/questionnaire/{small.pk}/change/", {"title": "Changé"}
    )
    assert response.status_code in (302, 403)
    small.refresh_from_db()
    assert small.title == "Petit questionnaire"


def test_personal_data_export_and_erasure(client, small, small_structure):
    from ressourcerie.accounts import personal_data

    user = UserFactory()
    client.force_login(user)
    client.post("/autodiagnostic/commencer/", {})
    complete_via_client(client, small_structure)
    data = personal_data.collect(user)["autodiagnostic"]
    assert data[0]["version"] == 1 and data[0]["score_global"] is not None
    personal_data.run_erasure_steps(user)
    assert not user.diagnostic_responses.exists()


def test_publishing_writes_the_history_of_both_versions(client, small):
    staff = StaffFactory()
    client.force_login(staff)
    client.post("/gestion/autodiagnostic/versions/", {"action": "duplicate"})
    draft = Questionnaire.objects.get(version=2)
    client.post(
        "/gestion/autodiagnostic/versions/", {"action": "publish", "questionnaire": draft.pk}
    )
    moves = [
        (t.questionnaire.version, t.from_status, t.to_status, t.actor)
        for t in QuestionnaireTransition.objects.filter(actor=staff).order_by("pk")
    ]
    assert moves == [
        (2, "", "draft", staff),
        (1, "published", "archived", staff),
        (2, "draft", "published", staff),
    ]


def test_publishing_a_published_version_shows_the_french_refusal(client, small):
    client.force_login(StaffFactory())
    response = client.post(
        "/gestion/autodiagnostic/versions/",
        {"action": "publish", "questionnaire": small.pk},
        follow=True,
    )
    assert "Seul un brouillon peut être publié." in response.content.decode()
    small.refresh_from_db()
    assert small.status == QuestionnaireStatus.PUBLISHED


def test_archived_version_cannot_come_back_and_strangers_cannot_publish(small):
    draft = services.duplicate_questionnaire(source=small)
    services.publish_questionnaire(questionnaire=draft)
    small.refresh_from_db()
    with pytest.raises(DiagnosticError, match="Archivée"):
        services.transition_questionnaire(questionnaire=small, target=QuestionnaireStatus.PUBLISHED)
    other = services.duplicate_questionnaire(source=draft)
    with pytest.raises(DiagnosticError, match="équipe"):
        services.publish_questionnaire(questionnaire=other, actor=UserFactory())
    other.refresh_from_db()
    assert other.status == QuestionnaireStatus.DRAFT
    assert selectors.allowed_moves(other, UserFactory()) == []
    assert selectors.allowed_moves(other, StaffFactory()) == [QuestionnaireStatus.PUBLISHED]
