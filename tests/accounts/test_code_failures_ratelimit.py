"""F12: failed sign-in codes are counted per address over a sliding day; past the threshold
no code is sent or accepted for that address, and nobody else is affected."""

import pytest

from ressourcerie.accounts import services
from tests.factories import UserFactory

from .conftest import code_in

pytestmark = pytest.mark.django_db

REQUEST = "/compte/connexion/code/"
VERIFY = "/compte/connexion/code/saisie/"
THRESHOLD = 20


def signed_in(client):
    return "_auth_user_id" in client.session


def _from(n: int) -> dict:
    return {"REMOTE_ADDR": f"203.0.113.{n % 250}"}


def _fail(email: str, times: int) -> None:
    """Wrong codes typed for ``email`` (from anywhere: the count is per address)."""
    for _ in range(times):
        assert services.verify_login_code(email=email, code="000000") is None


def _request(client, sent, email, n=1):
    with sent() as outbox:
        response = client.post(REQUEST, {"email": email}, **_from(n))
    return response, outbox


@pytest.fixture(autouse=True)
def _clock(ratelimit_clock):
    return ratelimit_clock


@pytest.fixture
def alix():
    return UserFactory(email="alix@example.org")


def test_failures_across_codes_lock_the_address_for_a_day(client, sent, alix):
    # Many codes, five guesses each: the per-code cap alone let this go on all day.
    for n in range(THRESHOLD // 5):
        _request(client, sent, "alix@example.org", n)
        for _ in range(5):
            response = client.post(VERIFY, {"code": "000000"}, **_from(n))
            assert response.status_code == 200
    response, outbox = _request(client, sent, "Alix@Example.org", 99)
    assert response.status_code == 429
    assert outbox == []
    html = response.content.decode()
    assert "mot de passe" in html
    assert "Revenez après" in html
    assert 'value="Alix@Example.org"' in html


def test_a_locked_address_refuses_even_the_right_code(client, sent, alix):
    _, outbox = _request(client, sent, "alix@example.org")
    code = code_in(outbox[0])
    _fail("alix@example.org", THRESHOLD)
    response = client.post(VERIFY, {"code": code}, **_from(2))
    assert response.status_code == 429
    assert not signed_in(client)
    assert "mot de passe" in response.content.decode()


def test_below_the_threshold_codes_still_work(client, sent, alix):
    _fail("alix@example.org", THRESHOLD - 1)
    _, outbox = _request(client, sent, "alix@example.org")
    client.post(VERIFY, {"code": code_in(outbox[0])}, **_from(2))
    assert signed_in(client)


def test_one_address_locked_never_locks_another(client, sent, alix):
    UserFactory(email="bea@example.org")
    _fail("alix@example.org", THRESHOLD + 5)
    # Requests for Alix's address from the same client do not count against Béa either.
    for n in range(3):
        assert _request(client, sent, "alix@example.org", n)[0].status_code == 429
    response, outbox = _request(client, sent, "bea@example.org", 1)
    assert response.status_code == 302
    assert len(outbox) == 1
    client.post(VERIFY, {"code": code_in(outbox[0])}, **_from(1))
    assert signed_in(client)
    assert services.code_lock_until("bea@example.org") is None


def test_unknown_addresses_are_locked_the_same_way(client, sent):
    _fail("inconnu@example.org", THRESHOLD)
    response, outbox = _request(client, sent, "inconnu@example.org")
    assert response.status_code == 429
    assert outbox == []


def test_the_lock_ends_when_the_failures_are_a_day_old(client, sent, alix, ratelimit_clock):
    _fail("alix@example.org", THRESHOLD)
    until = services.code_lock_until("alix@example.org")
    assert until is not None
    ratelimit_clock.advance(23 * 3600)
    assert services.code_lock_until("alix@example.org") == until
    ratelimit_clock.advance(3600 + 1)
    assert services.code_lock_until("alix@example.org") is None
    _, outbox = _request(client, sent, "alix@example.org")
    client.post(VERIFY, {"code": code_in(outbox[0])}, **_from(2))
    assert signed_in(client)
