"""Every error under /api/ is JSON in one shape: never an HTML page, never a stack trace."""

import pytest

from ressourcerie.api import selectors, views
from ressourcerie.core.errors import DomainError
from ressourcerie.core.organisations.services import OrganisationError
from tests.api.conftest import assert_error, bearer, make_token
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def test_400_lists_french_messages_by_field(client):
    error = assert_error(
        client.get("/api/v1/organisations", {"page": "deux", "page_size": "500"}),
        400,
        "validation_error",
    )
    assert error["message"] == "La requête contient des erreurs."
    assert error["details"] == {
        "page": ["Saisissez un nombre entier."],
        "page_size": ["Saisissez une valeur inférieure ou égale à 100."],
    }


def test_401(client):
    assert_error(client.get("/api/v1/me"), 401, "unauthorized")


def test_403(client):
    OrganisationFactory(slug="mon-asso")
    raw = make_token(MembershipFactory().user)
    response = client.patch(
        "/api/v1/organisations/mon-asso",
        data={"description": "x"},
        content_type="application/json",
        **bearer(raw),
    )
    assert_error(response, 403, "forbidden")


@pytest.mark.parametrize(
    "path",
    ["/api/v1/inconnu", "/api/v1/organisations/", "/api/", "/api/v2/regions", "/api/v1/a/b/c"],
)
def test_404_for_unknown_paths(client, path):
    assert_error(client.get(path), 404, "not_found")


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("post", "/api/v1/organisations", "GET"),
        ("delete", "/api/v1/communes/44109", "GET"),
        ("put", "/api/v1/organisations/mon-asso", "GET, PATCH"),
        ("post", "/api/v1/openapi.json", "GET, HEAD"),
        ("post", "/api/v1/", "GET, HEAD"),
    ],
)
def test_405_names_the_allowed_methods(client, method, path, allowed):
    response = getattr(client, method)(path)
    assert_error(response, 405, "method_not_allowed")
    assert set(response["Allow"].split(", ")) == set(allowed.split(", "))


def test_post_without_csrf_token_is_json_too(client):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True, raise_request_exception=False)
    response = strict.post("/api/v1/", {"x": "y"})
    assert response["Content-Type"].startswith("application/json")
    assert response.status_code in {403, 405}


def test_429(client, settings):
    settings.API_RATE_LIMITS = {"anonymous": (1, 60)}
    client.get("/api/v1/regions")
    response = client.get("/api/v1/regions")
    assert_error(response, 429, "rate_limited")
    assert response["Retry-After"].isdigit()


class _Refusal(DomainError):
    """Stands for any app's error class (DonationError, OrganisationError…)."""


@pytest.mark.parametrize(
    ("error", "details"),
    [
        (_Refusal("Ce lot est déjà collecté."), None),
        (
            OrganisationError("Ce numéro est déjà pris.", field="siret"),
            {"siret": ["Ce numéro est déjà pris."]},
        ),
    ],
    ids=["message", "field"],
)
def test_a_services_refusal_is_a_422_with_its_french_message(client, monkeypatch, error, details):
    def refuse(**kwargs):
        raise error

    monkeypatch.setattr(selectors, "organisations", refuse)
    response = client.get("/api/v1/organisations")
    body = assert_error(response, 422, "validation_error")
    assert body["message"] == error.message
    assert body["details"] == details


def test_500_inside_an_endpoint_is_json_without_traceback(client, monkeypatch, caplog):
    def crash(**kwargs):
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(selectors, "organisations", crash)
    response = client.get("/api/v1/organisations")
    error = assert_error(response, 500, "server_error")
    assert "secret" not in response.content.decode()
    assert "Traceback" not in response.content.decode()
    assert error["details"] is None
    assert "secret internal detail" in caplog.text  # logged for the team, not shown


def test_500_outside_the_endpoints_is_json_too(client, monkeypatch):
    def crash(*args, **kwargs):
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(views.docs, "sections", crash)
    response = client.get("/api/v1/")
    assert_error(response, 500, "server_error")
    assert "secret" not in response.content.decode()


def test_500_with_debug_on_still_hides_the_traceback(client, monkeypatch, settings):
    settings.DEBUG = True

    def crash(**kwargs):
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(selectors, "organisations", crash)
    response = client.get("/api/v1/organisations")
    assert_error(response, 500)
    assert "secret" not in response.content.decode()


def test_site_pages_keep_html_errors(client):
    response = client.get("/page-qui-n-existe-pas/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
