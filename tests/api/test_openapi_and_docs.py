import json
import re

import pytest
from django.urls import reverse

from ressourcerie.api.views import openapi_schema

pytestmark = pytest.mark.django_db

EXPECTED_OPERATIONS = {
    ("get", "/api/v1/communes"),
    ("get", "/api/v1/communes/{insee}"),
    ("get", "/api/v1/departements"),
    ("get", "/api/v1/regions"),
    ("get", "/api/v1/organisations"),
    ("get", "/api/v1/organisations/{slug}"),
    ("patch", "/api/v1/organisations/{slug}"),
    ("get", "/api/v1/me"),
}


def _operations(document):
    return {(method, path) for path, item in document["paths"].items() for method in item}


def test_openapi_document_is_valid_json_in_version_3(client):
    assert reverse("api:openapi") == "/api/v1/openapi.json"
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Access-Control-Allow-Origin"] == "*"
    document = json.loads(response.content)
    assert document["openapi"].startswith("3.")
    assert document["info"]["version"] == "1"
    assert document["info"]["license"]["identifier"] == "etalab-2.0"
    assert _operations(document) >= EXPECTED_OPERATIONS


def test_every_operation_is_documented_with_an_example(client):
    document = openapi_schema()
    for path, item in document["paths"].items():
        for method, operation in item.items():
            assert operation.get("summary"), (method, path)
            assert operation.get("x-example", {}).get("path", "").startswith("/api/v1/")
            assert operation["x-example"].get("response") is not None, (method, path)


def test_writes_and_me_declare_bearer_security():
    document = openapi_schema()
    schemes = document["components"]["securitySchemes"]
    assert {"type": "http", "scheme": "bearer"}.items() <= next(iter(schemes.values())).items()
    assert document["paths"]["/api/v1/me"]["get"]["security"]
    assert document["paths"]["/api/v1/organisations/{slug}"]["patch"]["security"]
    assert "security" not in document["paths"]["/api/v1/organisations"]["get"]


def test_references_in_the_document_all_resolve():
    document = openapi_schema()
    text = json.dumps(document)
    for ref in set(re.findall(r'"\$ref": "#/components/schemas/([^"]+)"', text)):
        assert ref in document["components"]["schemas"], ref


def test_docs_page_lists_every_path_of_the_openapi_document(client):
    assert reverse("api:docs") == "/api/v1/"
    response = client.get("/api/v1/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    for method, path in _operations(openapi_schema()):
        assert f"{method.upper()} {path}" in page, (method, path)


def test_docs_page_explains_auth_errors_pagination_limits_licence_and_versions(client):
    page = client.get("/api/v1/").content.decode()
    for text in [
        "Authorization: Bearer",
        "page_size",
        "rate_limited",
        "Retry-After",
        "etalab-2.0",
        "/api/v2/",
        "validation_error",
        "/api/v1/openapi.json",
    ]:
        assert text in page, text
    assert "<script" not in page
    assert "style=" not in page


def test_section_pages_show_parameters_curl_and_example_response(client):
    page = client.get("/api/v1/").content.decode()
    section_urls = set(re.findall(r'href="(/api/v1/documentation/[\w-]+)"', page))
    assert len(section_urls) >= 3  # one per part with an API
    seen = ""
    for url in section_urls:
        response = client.get(url)
        assert response.status_code == 200
        seen += response.content.decode()
    for method, path in _operations(openapi_schema()):
        assert f"{method.upper()} {path}" in seen
    assert "curl" in seen
    assert "-X PATCH" in seen and "Authorization: Bearer $JETON" in seen
    assert "http://testserver/api/v1/communes?q=nantes" in seen
    assert "page_size" in seen  # parameters are listed
    assert "&quot;insee&quot;: &quot;44109&quot;" in seen  # example response


def test_unknown_docs_section_is_a_404(client):
    assert client.get("/api/v1/documentation/inconnue").status_code == 404


@pytest.mark.parametrize("url", ["/api/v1/", "/api/v1/documentation/organisations"])
def test_docs_pages_keep_the_dom_budget(client, url):
    page = client.get(url).content.decode()
    elements = len(re.findall(r"<[a-zA-Z][a-zA-Z0-9-]*[\s>/]", page))
    assert elements < 600
    assert len(page.encode()) < 150_000


def test_footer_links_to_the_api_docs(client):
    assert 'href="/api/v1/"' in client.get("/").content.decode()
