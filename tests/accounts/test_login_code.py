from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ressourcerie.accounts.models import LoginCode
from ressourcerie.accounts.services import LOGIN_CODE_MAX_ATTEMPTS
from tests.factories import UserFactory

from .conftest import code_in

pytestmark = pytest.mark.django_db

REQUEST = "/compte/connexion/code/"
VERIFY = "/compte/connexion/code/saisie/"


def signed_in(client):
    return "_auth_user_id" in client.session


def request_code(client, sent, email="alix@example.org", **extra):
    with sent() as outbox:
        response = client.post(REQUEST, {"email": email, **extra})
    return response, outbox


def other_code(code):
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_code_form_fields_are_accessible(client, sent):
    UserFactory(email="alix@example.org")
    assert 'autocomplete="email"' in client.get(REQUEST).content.decode()
    request_code(client, sent)
    html = client.get(VERIFY).content.decode()
    assert 'autocomplete="one-time-code"' in html
    assert 'inputmode="numeric"' in html
    assert "alix@example.org" in html


def test_code_is_sent_stored_hashed_and_signs_in(client, sent):
    user = UserFactory(email="alix@example.org")
    response, outbox = request_code(client, sent, email="Alix@example.org")
    assert response["Location"] == VERIFY
    assert len(outbox) == 1
    code = code_in(outbox[0])
    stored = LoginCode.objects.get(user=user)
    assert code not in stored.code_hash
    assert stored.expires_at - timezone.now() <= timedelta(minutes=15)
    response = client.post(VERIFY, {"code": f"{code[:3]} {code[3:]}"})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:profile")
    assert client.session["_auth_user_id"] == str(user.pk)
    stored.refresh_from_db()
    assert stored.used_at is not None


def test_unknown_address_gets_the_same_answer_and_no_mail(client, sent):
    response, outbox = request_code(client, sent, email="inconnu@example.org")
    assert response.status_code == 302
    assert response["Location"] == VERIFY
    assert outbox == []
    html = client.get(VERIFY).content.decode()
    assert "Si un compte existe" in html
    response = client.post(VERIFY, {"code": "123456"})
    assert "pas valide" in response.content.decode()
    assert not signed_in(client)


def test_wrong_code_is_refused_and_counted(client, sent):
    UserFactory(email="alix@example.org")
    _, outbox = request_code(client, sent)
    code = code_in(outbox[0])
    response = client.post(VERIFY, {"code": other_code(code)})
    assert response.status_code == 200
    assert "pas valide" in response.content.decode()
    assert not signed_in(client)
    assert LoginCode.objects.get().attempts == 1


def test_code_stops_working_after_five_attempts(client, sent):
    UserFactory(email="alix@example.org")
    _, outbox = request_code(client, sent)
    code = code_in(outbox[0])
    for _ in range(LOGIN_CODE_MAX_ATTEMPTS):
        client.post(VERIFY, {"code": other_code(code)})
    client.post(VERIFY, {"code": code})
    assert not signed_in(client)


def test_expired_code_is_refused(client, sent):
    UserFactory(email="alix@example.org")
    _, outbox = request_code(client, sent)
    LoginCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    client.post(VERIFY, {"code": code_in(outbox[0])})
    assert not signed_in(client)


def test_code_works_only_once(client, sent):
    UserFactory(email="alix@example.org")
    _, outbox = request_code(client, sent)
    code = code_in(outbox[0])
    client.post(VERIFY, {"code": code})
    assert signed_in(client)
    client.logout()
    request_code(client, sent)  # a new session; the old code must not open it
    LoginCode.objects.filter(used_at__isnull=True).delete()
    client.post(VERIFY, {"code": code})
    assert not signed_in(client)


def test_a_new_code_replaces_the_previous_one(client, sent):
    UserFactory(email="alix@example.org")
    _, first = request_code(client, sent)
    _, second = request_code(client, sent)
    old, new = code_in(first[0]), code_in(second[0])
    if old != new:
        client.post(VERIFY, {"code": old})
        assert not signed_in(client)
    client.post(VERIFY, {"code": new})
    assert signed_in(client)


@pytest.mark.parametrize("typed", ["12345", "1234567", "abcdef", "١٢٣٤٥٦", ""])
def test_malformed_code_gets_a_french_message(client, sent, typed):
    UserFactory(email="alix@example.org")
    request_code(client, sent)
    html = client.post(VERIFY, {"code": typed}).content.decode()
    assert "6 chiffres" in html or "obligatoire" in html


def test_verify_page_without_a_request_goes_back_to_the_start(client):
    assert client.get(VERIFY)["Location"] == REQUEST


def test_code_confirms_an_unconfirmed_address(client, sent):
    user = UserFactory(email="attente@example.org", email_confirmed_at=None)
    _, outbox = request_code(client, sent, email="attente@example.org")
    client.post(VERIFY, {"code": code_in(outbox[0])})
    assert signed_in(client)
    user.refresh_from_db()
    assert user.email_confirmed_at is not None


def test_next_is_kept_through_the_code_flow(client, sent):
    UserFactory(email="alix@example.org")
    _, outbox = request_code(client, sent, next="/compte/jetons/")
    response = client.post(VERIFY, {"code": code_in(outbox[0])})
    assert response["Location"] == "/compte/jetons/"


def test_unsafe_next_is_dropped_in_the_code_flow(client, sent):
    UserFactory(email="alix@example.org")
    _, outbox = request_code(client, sent, next="https://evil.example/")
    response = client.post(VERIFY, {"code": code_in(outbox[0])})
    assert response["Location"] == reverse("accounts:profile")


def test_code_requests_are_rate_limited_per_email(client, sent, settings):
    settings.ACCOUNTS_RATE_LIMITS = {"code_request_email": (2, 900)}
    UserFactory(email="alix@example.org")
    for _ in range(2):
        request_code(client, sent)
    response, outbox = request_code(client, sent)
    assert response.status_code == 429
    assert "Trop de tentatives" in response.content.decode()
    assert outbox == []


def test_code_requests_are_rate_limited_per_ip(client, sent, settings):
    settings.ACCOUNTS_RATE_LIMITS = {"code_request_ip": (2, 900)}
    for i in range(2):
        request_code(client, sent, email=f"p{i}@example.org")
    response, _ = request_code(client, sent, email="p9@example.org")
    assert response.status_code == 429


def test_code_guesses_are_rate_limited_per_ip(client, sent, settings):
    settings.ACCOUNTS_RATE_LIMITS = {"code_verify_ip": (2, 900)}
    UserFactory(email="alix@example.org")
    _, outbox = request_code(client, sent)
    code = code_in(outbox[0])
    client.post(VERIFY, {"code": other_code(code)})
    client.post(VERIFY, {"code": other_code(code)})
    response = client.post(VERIFY, {"code": code})
    assert response.status_code == 429
    assert not signed_in(client)
