import re

import pytest
from django.conf import settings
from django.test import Client

from ressourcerie.diagnostic import engine
from ressourcerie.diagnostic.models import Answer, AxisScore, DiagnosticResponse
from tests.factories import DepartmentFactory, MembershipFactory, OrganisationFactory, UserFactory

from .conftest import complete_via_client, step_post


def _start(client, **profile):
    response = client.post("/autodiagnostic/commencer/", profile)
    assert response.status_code == 302
    assert response["Location"] == "/autodiagnostic/etape/1/"
    return DiagnosticResponse.objects.latest("id")


def _resume_link(client) -> str:
    page = client.get("/autodiagnostic/plus-tard/").content.decode()
    return re.search(r'href="(http://testserver/autodiagnostic/reprendre/[^"]+/)"', page).group(1)


def test_intro_explains_duration_privacy_and_lists_the_eight_axes(client, seeded):
    page = client.get("/autodiagnostic/").content.decode()
    assert "15 minutes" in page
    assert "Vos données" in page
    assert page.count("<li>", page.index("Les thèmes")) >= 8
    assert "Sécurité et protection des données (RGPD)" in page


def test_intro_without_a_published_questionnaire_says_so(client, db):
    page = client.get("/autodiagnostic/").content.decode()
    assert "pas encore disponible" in page
    assert client.get("/autodiagnostic/commencer/").status_code == 404


def test_anonymous_profile_is_stored_on_the_response(client, seeded):
    department = DepartmentFactory()
    response = _start(client, members_band="11-50", sector="culture", department=department.pk)
    assert (response.members_band, response.sector, response.department) == (
        "11-50",
        "culture",
        department,
    )
    assert response.user is None


def test_profile_refuses_an_unknown_department_and_keeps_the_rest(client, seeded):
    page = client.post("/autodiagnostic/commencer/", {"sector": "culture", "department": "999999"})
    assert page.status_code == 200
    content = page.content.decode()
    assert "Sélectionnez un choix valide" in content
    assert 'value="culture" selected' in content
    assert not DiagnosticResponse.objects.exists()


def test_signed_in_member_takes_it_for_the_organisation_whose_profile_is_reused(client, seeded):
    membership = MembershipFactory(
        organisation=OrganisationFactory(sector="sport", members_band="1-10")
    )
    client.force_login(membership.user)
    assert "Pour quelle association" in client.get("/autodiagnostic/commencer/").content.decode()
    response = _start(client, organisation=membership.organisation.pk)
    assert response.organisation == membership.organisation
    assert response.user == membership.user
    assert (response.sector, response.members_band) == ("sport", "1-10")
    assert response.department.code == "44"


def test_cannot_pick_an_organisation_one_is_not_a_member_of(client, seeded):
    membership = MembershipFactory()
    client.force_login(membership.user)
    other = OrganisationFactory()
    page = client.post("/autodiagnostic/commencer/", {"organisation": other.pk})
    assert page.status_code == 200
    assert "Sélectionnez un choix valide" in page.content.decode()
    assert not DiagnosticResponse.objects.exists()
    # Without any membership the field is not offered, and a posted value is ignored.
    client.force_login(UserFactory())
    _start(client, organisation=other.pk)
    assert DiagnosticResponse.objects.get().organisation is None


def test_step_page_shows_progress_and_every_kind_of_question(client, seeded):
    _start(client)
    page = client.get("/autodiagnostic/etape/2/").content.decode()
    assert "Étape 2 sur 8" in page
    assert 'type="radio"' in page
    assert "Très insuffisante" in page  # scale end label
    page = client.get("/autodiagnostic/etape/3/").content.decode()
    assert 'type="checkbox"' in page
    assert "Plusieurs réponses possibles" in page


def test_step_without_a_response_goes_back_to_the_intro(client, seeded):
    response = client.get("/autodiagnostic/etape/1/")
    assert response["Location"] == "/autodiagnostic/"


def test_unknown_step_is_404(client, seeded):
    _start(client)
    assert client.get("/autodiagnostic/etape/9/").status_code == 404


def test_skipped_required_question_shows_a_french_message_and_keeps_answers(
    client, small, small_structure
):
    _start(client)
    axis = small_structure.axes[1]
    q2, q3 = axis.questions
    page = client.post(
        "/autodiagnostic/etape/2/",
        {"version": "1", "action": "next", f"q{q2.id}": str(q2.options[0].id)},
    )
    # q3 is hidden (its condition is on step 1, unanswered): not required, the step passes.
    assert page.status_code == 302
    page = client.post("/autodiagnostic/etape/1/", {"version": "1", "action": "next"})
    content = page.content.decode()
    assert "Répondez à cette question, ou choisissez « Je ne sais pas »." in content
    assert 'role="alert"' in content


def test_required_error_keeps_the_other_answers_checked(client, seeded):
    _start(client)
    structure = engine.build_structure(seeded)
    axis = structure.axes[0]
    data = step_post(axis, 1)
    skipped = axis.questions[2]
    del data[f"q{skipped.id}"]
    content = client.post("/autodiagnostic/etape/1/", data).content.decode()
    assert content.count("Répondez à cette question") == 1
    first = axis.questions[0]
    assert f'value="{first.options[0].id}" checked' in content
    assert not Answer.objects.exists()


def test_out_of_range_scale_and_foreign_option_are_refused_in_french(
    client, small, small_structure
):
    _start(client)
    q1, q1_suite = small_structure.axes[0].questions
    q2 = small_structure.axes[1].questions[0]
    content = client.post(
        "/autodiagnostic/etape/1/",
        {
            "version": "1",
            "action": "next",
            f"q{q1.id}": str(q1.options[0].id),
            f"q{q1_suite.id}": "9",
        },
    ).content.decode()
    assert "Choisissez une valeur entre 1 et 5." in content
    assert f'value="{q1.options[0].id}" checked' in content
    content = client.post(
        "/autodiagnostic/etape/1/",
        {"version": "1", "action": "next", f"q{q1.id}": str(q2.options[0].id)},
    ).content.decode()
    assert "Ce choix n&#x27;existe pas dans cette version du questionnaire" in content


def test_answers_for_another_version_are_not_saved_and_say_why(client, small, small_structure):
    _start(client)
    data = step_post(small_structure.axes[0], version=7)
    content = client.post("/autodiagnostic/etape/1/", data).content.decode()
    assert "une autre version du questionnaire" in content
    assert not Answer.objects.exists()


def test_same_page_condition_is_shown_with_a_note_and_ignored_when_not_met(
    client, small, small_structure
):
    _start(client)
    q1, q1_suite = small_structure.axes[0].questions
    page = client.get("/autodiagnostic/etape/1/").content.decode()
    assert "Répondez seulement si vous avez répondu « Oui » à « Question 1 ? »." in page
    no = next(o for o in q1.options if o.key == "non")
    client.post(
        "/autodiagnostic/etape/1/",
        {"version": "1", "action": "next", f"q{q1.id}": str(no.id), f"q{q1_suite.id}": "4"},
    )
    assert set(Answer.objects.values_list("question_id", flat=True)) == {q1.id}


def test_same_page_condition_met_makes_the_question_required(client, small, small_structure):
    _start(client)
    q1, q1_suite = small_structure.axes[0].questions
    content = client.post(
        "/autodiagnostic/etape/1/",
        {"version": "1", "action": "next", f"q{q1.id}": str(q1.options[0].id)},
    ).content.decode()
    assert content.count("Répondez à cette question") == 1


def test_condition_on_an_earlier_page_hides_the_question(client, small, small_structure):
    _start(client)
    q1 = small_structure.axes[0].questions[0]
    q3 = small_structure.axes[1].questions[1]
    no = next(o for o in q1.options if o.key == "non")
    client.post(
        "/autodiagnostic/etape/1/", {"version": "1", "action": "next", f"q{q1.id}": str(no.id)}
    )
    assert "Question 3, si 1 = oui" not in client.get("/autodiagnostic/etape/2/").content.decode()
    client.post(
        "/autodiagnostic/etape/1/",
        {
            "version": "1",
            "action": "next",
            f"q{q1.id}": str(q1.options[0].id),
            f"q{small_structure.axes[0].questions[1].id}": "3",
        },
    )
    assert "Question 3, si 1 = oui" in client.get("/autodiagnostic/etape/2/").content.decode()
    assert f"q{q3.id}" in client.get("/autodiagnostic/etape/2/").content.decode()


def test_previous_saves_without_requiring_answers(client, small, small_structure):
    _start(client)
    response = client.post("/autodiagnostic/etape/2/", {"version": "1", "action": "previous"})
    assert response["Location"] == "/autodiagnostic/etape/1/"


def test_save_for_later_shows_the_private_link_and_emails_it(
    client, small, small_structure, mailoutbox, django_capture_on_commit_callbacks
):
    _start(client)
    response = client.post("/autodiagnostic/etape/1/", {"version": "1", "action": "save"})
    assert response["Location"] == "/autodiagnostic/plus-tard/"
    link = _resume_link(client)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/autodiagnostic/plus-tard/", {"email": "benevole@example.org"})
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["benevole@example.org"]
    # The e-mailed link is made by the worker (the raw token is stored nowhere, so it is not
    # the string shown on screen): both open this response in another browser.
    mailed = re.search(
        re.escape(settings.SITE_URL) + r"(/autodiagnostic/reprendre/\S+/)", mailoutbox[0].body
    ).group(1)
    for path in (mailed, link.replace("http://testserver", "")):
        other = Client()
        assert other.get(path).status_code == 200
        assert other.session["diagnostic"]["id"] == DiagnosticResponse.objects.get().pk
    assert "benevole@example.org" not in str(list(DiagnosticResponse.objects.values()))


def test_email_form_refuses_a_bad_address_in_french(client, small):
    _start(client)
    content = client.post(
        "/autodiagnostic/plus-tard/", {"email": "pas-une-adresse"}
    ).content.decode()
    assert "Saisissez une adresse de courriel valide." in content


def test_resume_link_brings_back_the_response_in_another_browser(
    client, small, small_structure, django_user_model
):
    from django.test import Client

    _start(client)
    q1 = small_structure.axes[0].questions[0]
    no = next(o for o in q1.options if o.key == "non")
    client.post(
        "/autodiagnostic/etape/1/", {"version": "1", "action": "next", f"q{q1.id}": str(no.id)}
    )
    link = _resume_link(client)
    other = Client()
    response = other.get(link.replace("http://testserver", ""))
    assert "Étape 2 sur 2" in response.content.decode()
    content = other.get("/autodiagnostic/etape/1/").content.decode()
    assert f'value="{no.id}" checked' in content


def test_only_the_hash_of_the_token_is_stored(client, small):
    _start(client)
    link = _resume_link(client)
    token = link.rstrip("/").rsplit("/", 1)[1]
    stored = DiagnosticResponse.objects.get()
    assert token not in stored.token_hash
    assert len(stored.token_hash) == 64


@pytest.mark.parametrize("token", ["forged", "x" * 32, "a" * 200])
def test_forged_resume_link_reveals_nothing_and_says_so(client, small, token):
    _start(client)
    response = client.get(f"/autodiagnostic/reprendre/{token}/")
    assert response.status_code == 404
    content = response.content.decode()
    assert "Ce lien de reprise n'est pas valide" in content
    assert "Question 1" not in content


def test_completing_gives_scores_chart_table_and_recommendations(client, seeded):
    _start(client)
    structure = engine.build_structure(seeded)
    last = complete_via_client(client, structure, choose="last")
    assert last["Location"] == "/autodiagnostic/resultats/"
    response = DiagnosticResponse.objects.get()
    assert response.is_completed and response.overall_score is not None
    assert AxisScore.objects.filter(response=response).count() == 8
    content = client.get("/autodiagnostic/resultats/").content.decode()
    assert 'role="img"' in content and "<title id=" in content
    assert '<table class="diag-scores">' in content
    assert "Vos priorités" in content
    assert "Pourquoi cette recommandation ?" in content
    assert "Parce que" in content
    assert "Mettre en place une sauvegarde automatique" in content


def test_high_scores_list_strengths(client, seeded):
    _start(client)
    complete_via_client(client, engine.build_structure(seeded), choose="first")
    content = client.get("/autodiagnostic/resultats/").content.decode()
    assert "Vos points forts" in content


def test_finishing_with_an_incomplete_earlier_step_sends_back_there(client, small, small_structure):
    _start(client)
    axis_b = small_structure.axes[1]
    response = client.post("/autodiagnostic/etape/2/", step_post(axis_b, 1))
    assert response["Location"] == "/autodiagnostic/etape/1/"
    assert not DiagnosticResponse.objects.get().is_completed


def test_pdf_report_downloads(client, small, small_structure):
    _start(client)
    complete_via_client(client, small_structure)
    response = client.get("/autodiagnostic/resultats/rapport.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "attachment" in response["Content-Disposition"]


def test_pdf_and_results_need_a_completed_response(client, small):
    assert client.get("/autodiagnostic/resultats/rapport.pdf")["Location"] == "/autodiagnostic/"
    _start(client)
    assert client.get("/autodiagnostic/resultats/")["Location"] == "/autodiagnostic/etape/1/"


def test_retaking_shows_before_and_after_per_axis(client, small, small_structure):
    _start(client, sector="culture")
    complete_via_client(client, small_structure, choose="last")
    first = DiagnosticResponse.objects.get()
    response = client.post("/autodiagnostic/refaire/")
    assert response["Location"] == "/autodiagnostic/etape/1/"
    second = DiagnosticResponse.objects.latest("id")
    assert second.previous == first and second.sector == "culture"
    complete_via_client(client, small_structure, choose="first")
    content = client.get("/autodiagnostic/resultats/").content.decode()
    assert "Avant" in content and "Évolution" in content
    assert "+" in content
    assert "Lors de votre précédent diagnostic" in content


def test_organisation_taking_it_again_sees_progress_even_from_a_new_session(
    client, small, small_structure
):
    from django.test import Client

    membership = MembershipFactory()
    client.force_login(membership.user)
    _start(client, organisation=membership.organisation.pk)
    complete_via_client(client, small_structure, choose="last")
    other = Client()
    other.force_login(membership.user)
    _start(other, organisation=membership.organisation.pk)
    complete_via_client(other, small_structure, choose="first")
    content = other.get("/autodiagnostic/resultats/").content.decode()
    assert "Évolution" in content


def test_completed_response_cannot_be_edited_through_the_steps(client, small, small_structure):
    _start(client)
    complete_via_client(client, small_structure)
    assert client.get("/autodiagnostic/etape/1/")["Location"] == "/autodiagnostic/resultats/"
