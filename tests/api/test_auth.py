from datetime import timedelta

import pytest
from django.utils import timezone

from ressourcerie.accounts.models import ApiToken, Role
from tests.api.conftest import assert_error, bearer, make_token
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_me_returns_the_token_owner_and_roles(client):
    membership = MembershipFactory(
        user__email="camille@example.org",
        user__display_name="Camille",
        organisation__slug="mon-asso",
        role=Role.EDITOR,
    )
    raw = make_token(membership.user)
    response = client.get("/api/v1/me", **bearer(raw))
    assert response.status_code == 200
    assert response.json() == {
        "id": membership.user.pk,
        "email": "camille@example.org",
        "display_name": "Camille",
        "is_staff": False,
        "roles": [
            {
                "role": "editor",
                "role_label": "Éditeur d'une structure d'accompagnement",
                "organisation": "mon-asso",
            }
        ],
    }


def test_missing_token_is_401_with_bearer_challenge(client):
    error = assert_error(client.get("/api/v1/me"), 401, "unauthorized")
    assert "jeton" in error["message"]
    assert client.get("/api/v1/me")["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "header",
    [
        "Bearer rn_00000000_inconnu",
        "Bearer pas-un-jeton",
        "Bearer ",
        "Token rn_00000000_x",
        "Basic dXNlcjpwYXNz",
        "Bearer " + "x" * 5000,
    ],
)
def test_invalid_token_is_401(client, header):
    UserFactory()
    assert_error(client.get("/api/v1/me", HTTP_AUTHORIZATION=header), 401, "unauthorized")


def test_revoked_token_is_401(client):
    user = UserFactory()
    raw = make_token(user, revoked_at=timezone.now())
    assert_error(client.get("/api/v1/me", **bearer(raw)), 401)


def test_token_of_a_deactivated_account_is_401(client):
    user = UserFactory(is_active=False)
    raw = make_token(user)
    assert_error(client.get("/api/v1/me", **bearer(raw)), 401)


def test_session_cookie_is_not_accepted_for_writes(client):
    membership = MembershipFactory(organisation__slug="mon-asso")
    client.force_login(membership.user)
    assert_error(client.get("/api/v1/me"), 401)
    response = client.patch(
        "/api/v1/organisations/mon-asso",
        data={"description": "par le cookie"},
        content_type="application/json",
    )
    assert_error(response, 401)


def test_records_last_use_at_most_once_a_minute(client):
    user = UserFactory()
    raw = make_token(user)
    token = ApiToken.objects.get(user=user)
    assert token.last_used_at is None
    client.get("/api/v1/me", **bearer(raw))
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    client.get("/api/v1/me", **bearer(raw))
    token.refresh_from_db()
    assert token.last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(minutes=2))
    client.get("/api/v1/me", **bearer(raw))
    token.refresh_from_db()
    assert token.last_used_at > first - timedelta(minutes=1)


def test_anonymous_reads_are_rate_limited_per_address(client, settings):
    settings.API_RATE_LIMITS = {"anonymous": (3, 60)}
    for _ in range(3):
        assert client.get("/api/v1/regions").status_code == 200
    response = client.get("/api/v1/regions")
    error = assert_error(response, 429, "rate_limited")
    assert 1 <= int(response["Retry-After"]) <= 60
    assert error["message"]
    other_address = client.get("/api/v1/regions", REMOTE_ADDR="192.0.2.7")
    assert other_address.status_code == 200


def test_token_requests_are_rate_limited_per_token(client, settings):
    settings.API_RATE_LIMITS = {"anonymous": (1, 60), "token": (2, 60)}
    raw = make_token(UserFactory())
    other = make_token(UserFactory())
    assert client.get("/api/v1/me", **bearer(raw)).status_code == 200
    assert client.get("/api/v1/me", **bearer(raw)).status_code == 200
    response = client.get("/api/v1/me", **bearer(raw))
    assert_error(response, 429)
    assert response["Retry-After"]
    assert client.get("/api/v1/me", **bearer(other)).status_code == 200


def test_repeated_invalid_tokens_are_rate_limited(client, settings):
    settings.API_RATE_LIMITS = {"failed_auth": (2, 60)}
    for _ in range(2):
        assert_error(client.get("/api/v1/me", **bearer("rn_00000000_faux")), 401)
    response = client.get("/api/v1/me", **bearer("rn_00000000_faux"))
    assert_error(response, 429)
    assert response["Retry-After"]


def test_public_reads_allow_any_origin_without_credentials(client):
    response = client.get("/api/v1/regions", HTTP_ORIGIN="https://carte.example.org")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    preflight = client.options(
        "/api/v1/regions",
        HTTP_ORIGIN="https://carte.example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Methods"] == "GET, HEAD"
    assert "Access-Control-Allow-Headers" not in preflight


def test_writes_get_no_cors_header(client):
    OrganisationFactory(slug="mon-asso")
    response = client.patch(
        "/api/v1/organisations/mon-asso", data={}, content_type="application/json"
    )
    assert "Access-Control-Allow-Origin" not in response


def test_site_pages_get_no_cors_header(client):
    assert "Access-Control-Allow-Origin" not in client.get("/")


def test_public_reads_with_a_valid_token_count_against_the_token_not_the_address(client, settings):
    settings.API_RATE_LIMITS = {"anonymous": (2, 60), "token": (5, 60)}
    raw = make_token(UserFactory())
    for _ in range(4):
        assert client.get("/api/v1/regions", **bearer(raw)).status_code == 200
    # The address's anonymous quota is untouched by the four reads made with the token…
    assert client.get("/api/v1/regions").status_code == 200
    assert client.get("/api/v1/regions").status_code == 200
    assert_error(client.get("/api/v1/regions"), 429, "rate_limited")
    # …and the token keeps its own, larger one, whatever the address has used.
    assert client.get("/api/v1/regions", **bearer(raw)).status_code == 200
    response = client.get("/api/v1/regions", **bearer(raw))
    assert_error(response, 429, "rate_limited")
    assert response["Retry-After"]


@pytest.mark.parametrize("header", ["Bearer rn_00000000_inconnu", "Bearer pas-un-jeton", "Bearer "])
def test_invalid_token_on_a_public_read_is_a_json_401(client, header):
    response = client.get("/api/v1/regions", HTTP_AUTHORIZATION=header)
    error = assert_error(response, 401, "unauthorized")
    assert "Jeton" in error["message"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_revoked_token_on_a_public_read_is_a_401(client):
    raw = make_token(UserFactory(), revoked_at=timezone.now())
    assert_error(client.get("/api/v1/tools", **bearer(raw)), 401, "unauthorized")


def test_other_authorization_schemes_are_ignored_on_public_reads(client):
    # Not ours (a proxy's Basic authentication, say): the read stays anonymous.
    response = client.get("/api/v1/regions", HTTP_AUTHORIZATION="Basic dXNlcjpwYXNz")
    assert response.status_code == 200


def test_invalid_tokens_on_public_reads_are_rate_limited(client, settings):
    settings.API_RATE_LIMITS = {"failed_auth": (2, 60)}
    for _ in range(2):
        assert_error(client.get("/api/v1/regions", **bearer("rn_00000000_faux")), 401)
    assert_error(client.get("/api/v1/regions", **bearer("rn_00000000_faux")), 429)


def test_a_valid_token_on_a_protected_operation_is_looked_up_once(
    client, django_assert_max_num_queries
):
    raw = make_token(UserFactory())
    client.get("/api/v1/me", **bearer(raw))  # last_used_at written
    with django_assert_max_num_queries(3):
        assert client.get("/api/v1/me", **bearer(raw)).status_code == 200
