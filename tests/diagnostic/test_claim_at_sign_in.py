"""A diagnostic taken before signing in follows the person into « Mes diagnostics »."""

import re

import pytest

from ressourcerie.diagnostic import selectors, services
from ressourcerie.diagnostic.models import DiagnosticResponse
from tests.factories import MembershipFactory, UserFactory

from .conftest import complete_via_client, step_post

LOGIN = "/compte/connexion/"
CODE_REQUEST = "/compte/connexion/code/"
CODE_VERIFY = "/compte/connexion/code/saisie/"
PASSWORD = "motdepasse-solide-42"  # the factories' password
MINE = "/autodiagnostic/mes-diagnostics/"


def sign_in(client, user):
    answer = client.post(LOGIN, {"email": user.email, "password": PASSWORD})
    assert answer.status_code == 302, answer.content.decode()[:2000]
    assert client.session["_auth_user_id"] == str(user.pk)
    return answer


def put_in_session(client, value):
    session = client.session
    session[selectors.SESSION_KEY] = value
    session.save()


def test_anonymous_diagnostic_is_attached_at_sign_in_and_listed(client, small, small_structure):
    client.post("/autodiagnostic/commencer/", {"sector": "culture"})
    axis = small_structure.axes[0]
    client.post("/autodiagnostic/etape/1/", step_post(axis, small_structure.version))
    response = DiagnosticResponse.objects.get()
    assert response.user is None and response.current_step == 2
    user = UserFactory()
    sign_in(client, user)
    response.refresh_from_db()
    assert response.user == user
    assert response.organisation is None  # never guessed for the person
    page = client.get(MINE).content.decode()
    assert "Diagnostic commencé le" in page
    assert f"{MINE}{response.pk}/reprendre/" in page
    # The session still holds it: the person carries on where they were.
    assert client.get("/autodiagnostic/etape/2/").status_code == 200
    complete_via_client(client, small_structure)
    response.refresh_from_db()
    assert response.is_completed and response.user == user
    assert f"{MINE}{response.pk}/" in client.get(MINE).content.decode()


def test_completed_anonymous_diagnostic_is_attached_too(client, small, small_structure):
    client.post("/autodiagnostic/commencer/", {})
    complete_via_client(client, small_structure)
    user = UserFactory()
    sign_in(client, user)
    response = DiagnosticResponse.objects.get()
    assert response.user == user
    assert client.get(f"{MINE}{response.pk}/").status_code == 200


def test_association_is_left_alone_even_with_a_single_membership(client, small, small_structure):
    member = MembershipFactory(organisation__name="Les Amis du Jardin").user
    client.post("/autodiagnostic/commencer/", {})
    sign_in(client, member)
    response = DiagnosticResponse.objects.get()
    assert response.user == member and response.organisation is None


def test_someone_elses_diagnostic_in_the_session_is_not_taken(client, small):
    owner = UserFactory()
    response, token = services.start_response(questionnaire=small, user=owner)
    # A shared private link opened before signing in puts the owner's response in the session.
    assert client.get(f"/autodiagnostic/reprendre/{token}/").status_code == 200
    assert client.session[selectors.SESSION_KEY]["id"] == response.pk
    other = UserFactory()
    sign_in(client, other)
    response.refresh_from_db()
    assert response.user == owner
    assert f"{MINE}{response.pk}/" not in client.get(MINE).content.decode()


def test_a_wrong_token_in_the_session_claims_nothing(client, small):
    response, _token = services.start_response(questionnaire=small)
    put_in_session(client, {"id": response.pk, "token": "pas-le-bon-jeton"})
    sign_in(client, UserFactory())
    response.refresh_from_db()
    assert response.user is None


@pytest.mark.parametrize(
    "garbage",
    [
        "n'importe quoi",
        ["id", 1],
        {},
        {"id": "abc", "token": "x"},
        {"id": "1", "token": None},
        {"id": True, "token": "x"},
        {"id": 10**12, "token": "x" * 5000},
        {"id": 1, "token": {"nested": 1}},
    ],
)
def test_garbage_in_the_session_does_not_break_sign_in(client, small, garbage):
    services.start_response(questionnaire=small)
    put_in_session(client, garbage)
    sign_in(client, UserFactory())
    assert DiagnosticResponse.objects.get().user is None
    # Nor the diagnostic pages that read the same session afterwards.
    assert client.get("/autodiagnostic/").status_code == 200
    assert client.get("/autodiagnostic/etape/1/").status_code == 302


def test_a_failure_while_claiming_does_not_break_sign_in(client, small, monkeypatch, caplog):
    def broken(session):
        raise RuntimeError("base indisponible")

    client.post("/autodiagnostic/commencer/", {})
    monkeypatch.setattr(selectors, "session_response", broken)
    sign_in(client, UserFactory())
    assert DiagnosticResponse.objects.get().user is None
    assert "could not attach" in caplog.text


def test_sign_in_with_an_emailed_code_attaches_it_too(
    client, small, mailoutbox, django_capture_on_commit_callbacks
):
    client.post("/autodiagnostic/commencer/", {})
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(CODE_REQUEST, {"email": user.email})
    code = re.search(r"^\s+(\d{6})\s*$", mailoutbox[-1].body, re.MULTILINE).group(1)
    assert client.post(CODE_VERIFY, {"code": code}).status_code == 302
    assert DiagnosticResponse.objects.get().user == user


def test_signed_in_person_starting_a_diagnostic_owns_it_at_once(client, small, small_structure):
    user = UserFactory()
    client.force_login(user)
    client.post("/autodiagnostic/commencer/", {})
    response = DiagnosticResponse.objects.get()
    assert response.user == user
    complete_via_client(client, small_structure)
    client.post("/autodiagnostic/refaire/")
    retake = DiagnosticResponse.objects.exclude(pk=response.pk).get()
    assert retake.user == user and retake.previous == response
