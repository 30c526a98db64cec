import pytest
from django.test import Client

from ressourcerie.accounts.models import ApiToken
from ressourcerie.accounts.tokens import generate_token
from ressourcerie.core.tokens import hash_token


def make_token(user, *, name="test", **extra) -> str:
    """A live ApiToken for ``user``; returns the raw token to send."""
    raw, prefix = generate_token()
    ApiToken.objects.create(
        user=user, name=name, prefix=prefix, token_hash=hash_token(raw), **extra
    )
    return raw


def bearer(raw: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def client():
    # Crashes must come back as JSON 500 responses, not be re-raised into the test.
    return Client(raise_request_exception=False)


def assert_error(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert set(error) == {"code", "message", "details"}
    assert error["message"]
    if code:
        assert error["code"] == code
    return error
