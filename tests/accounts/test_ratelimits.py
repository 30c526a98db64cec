"""F5 (mail bombing) and client keying for the accounts forms: every form that e-mails an
address someone types is limited per target address as well as per client."""

import pytest
from django.urls import reverse

from ressourcerie.accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "un-mot-de-passe-tres-solide"
SIGNUP = "/compte/inscription/"
RESET = "/compte/mot-de-passe/oublie/"
CODE = "/compte/connexion/code/"


@pytest.fixture(autouse=True)
def _clock(ratelimit_clock):
    return ratelimit_clock


def _from(n: int) -> dict:
    """A different client for each ``n`` (another IPv4 address)."""
    return {"REMOTE_ADDR": f"198.51.100.{n}"}


def _signup(email):
    return {
        "email": email,
        "display_name": "Camille",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "website_hp": "",
    }


@pytest.mark.parametrize("existing", [True, False])
def test_password_reset_is_limited_per_target_address_whoever_asks(
    client, sent, existing, settings
):
    if existing:
        UserFactory(email="cible@example.org")
    with sent() as outbox:
        answers = [
            client.post(RESET, {"email": email}, **_from(n))
            for n, email in enumerate(
                ["cible@example.org", " CIBLE@example.org", "Cible@Example.org "], start=1
            )
        ]
    assert [a.status_code for a in answers] == [302, 302, 302]
    assert len(outbox) == (3 if existing else 0)
    with sent() as outbox:
        refused = client.post(RESET, {"email": "cible@example.org"}, **_from(9))
    assert refused.status_code == 429
    assert outbox == []
    html = refused.content.decode()
    assert "Réessayez dans 30 minutes." in html
    assert 'value="cible@example.org"' in html
    # Another address is not affected.
    assert client.post(RESET, {"email": "autre@example.org"}, **_from(9)).status_code == 302


@pytest.mark.parametrize("existing", [True, False])
def test_sign_up_is_limited_per_target_address_whoever_asks(client, sent, existing):
    if existing:
        UserFactory(email="cible@example.org")
    else:
        User.objects.filter(email="cible@example.org").delete()
    with sent() as outbox:
        answers = [client.post(SIGNUP, _signup("cible@example.org"), **_from(n)) for n in (1, 2, 3)]
    assert [a.status_code for a in answers] == [302, 302, 302]
    assert len(outbox) == 3
    with sent() as outbox:
        refused = client.post(SIGNUP, _signup("Cible@example.org"), **_from(4))
    assert refused.status_code == 429
    assert outbox == []
    assert "Réessayez dans 30 minutes." in refused.content.decode()


def test_code_requests_are_limited_per_target_address_whoever_asks(client, sent):
    UserFactory(email="cible@example.org")
    with sent() as outbox:
        answers = [client.post(CODE, {"email": "cible@example.org"}, **_from(n)) for n in range(5)]
    assert [a.status_code for a in answers] == [302] * 5
    assert len(outbox) == 5
    refused = client.post(CODE, {"email": "cible@example.org"}, **_from(7))
    assert refused.status_code == 429
    assert "Réessayez dans 30 minutes." in refused.content.decode()


def test_clients_of_one_ipv6_64_share_the_sign_up_quota(client, settings):
    settings.ACCOUNTS_RATE_LIMITS = {"signup_ip": (2, 3600)}
    answers = [
        client.post(
            SIGNUP, _signup(f"p{n}@example.org"), REMOTE_ADDR=f"2001:db8:77:1:{n}::{n}"
        ).status_code
        for n in range(1, 4)
    ]
    assert answers == [302, 302, 429]
    other_64 = client.post(SIGNUP, _signup("q@example.org"), REMOTE_ADDR="2001:db8:77:2::1")
    assert other_64.status_code == 302


def test_resend_confirmation_is_limited_per_target_address(client, sent):
    UserFactory(email="attente@example.org", email_confirmed_at=None)
    url = reverse("accounts:resend_confirmation")
    answers = [
        client.post(url, {"email": "attente@example.org"}, **_from(n)).status_code for n in range(4)
    ]
    assert answers == [302, 302, 302, 429]
