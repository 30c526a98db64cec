"""The OpenAPI document says what each operation answers: its error statuses with the error
schema, and its real content types (CSV, GeoJSON…). Checked on the JSON actually served, by
walking every operation, so a new endpoint cannot escape."""

import json

import pytest

from tests.api.conftest import bearer, make_token
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ERROR_REF = "#/components/schemas/Error"
MEDIA_TYPES = {
    ".csv": "text/csv",
    ".geojson": "application/geo+json",
    ".json": "application/json",
    ".ics": "text/calendar",
}


@pytest.fixture
def document(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    # Parsed from the bytes served: a key written twice (200 and "200") would be lost here.
    return json.loads(response.content)


def _operations(document):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            yield method, path, operation


def _expected_errors(path: str, operation: dict) -> set[str]:
    params = operation.get("parameters", [])
    expected = {"401", "429"}  # any request may carry a bad token; every operation is throttled
    if params or "requestBody" in operation:
        expected.add("400")
    if operation.get("security"):
        expected.add("403")
    if any(p["in"] == "path" for p in params) or any(p["name"] == "page" for p in params):
        expected.add("404")
    return expected


def test_error_schema_is_the_one_every_error_has(document):
    schema = document["components"]["schemas"]["Error"]
    assert schema["required"] == ["error"]
    inner = schema["properties"]["error"]
    assert set(inner["required"]) == {"code", "message", "details"}
    assert inner["additionalProperties"] is False


def test_every_operation_documents_its_error_answers(document):
    missing = []
    for method, path, operation in _operations(document):
        responses = operation["responses"]
        for status in _expected_errors(path, operation):
            answer = responses.get(status)
            schema = (answer or {}).get("content", {}).get("application/json", {}).get("schema")
            if not answer or schema != {"$ref": ERROR_REF} or not answer.get("description"):
                missing.append((method, path, status))
    assert not missing


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("get", "/api/v1/places", "404"),  # unknown commune or postal code
        ("get", "/api/v1/donations/dropoff-points", "404"),  # unknown commune
        ("get", "/api/v1/diagnostic/questionnaire", "404"),  # none published
        ("post", "/api/v1/diagnostic/responses", "404"),
        ("post", "/api/v1/places/{ident}/edits", "422"),  # refused by the web form's rules
    ],
)
def test_errors_an_operation_declares_itself_are_documented(document, method, path, status):
    answer = document["paths"][path][method]["responses"][status]
    assert answer["content"]["application/json"]["schema"] == {"$ref": ERROR_REF}


def test_429_documents_retry_after_and_401_the_bearer_challenge(document):
    for _method, _path, operation in _operations(document):
        retry = operation["responses"]["429"]["headers"]["Retry-After"]
        assert retry["required"] is True and retry["schema"]["type"] == "integer"
        challenge = operation["responses"]["401"]["headers"]["WWW-Authenticate"]
        assert challenge["schema"]["type"] == "string"


def test_every_response_has_a_description_and_success_keeps_its_schema(document):
    for method, path, operation in _operations(document):
        for status, answer in operation["responses"].items():
            assert answer.get("description"), (method, path, status)
        successes = [s for s in operation["responses"] if s.startswith("2")]
        assert successes, (method, path)
        for status in successes:
            content = operation["responses"][status].get("content")
            assert content, (method, path, status)
            for media in content.values():
                assert "schema" in media, (method, path, status)


def test_exports_declare_their_own_content_type(document):
    seen = set()
    for method, path, operation in _operations(document):
        suffix = next((s for s in MEDIA_TYPES if path.endswith(s)), None)
        if suffix is None or method != "get":
            continue
        content = operation["responses"]["200"]["content"]
        assert list(content) == [MEDIA_TYPES[suffix]], (path, list(content))
        seen.add(suffix)
    assert {".csv", ".geojson", ".json"} <= seen


def test_responses_carry_a_content_type_the_document_declares(client, document):
    """Every GET without required parameters, called for real, anonymously and with a token:
    the status and the media type it answers with are in its documented responses."""
    raw = make_token(UserFactory())
    checked = 0
    for method, path, operation in _operations(document):
        params = operation.get("parameters", [])
        if method != "get" or any(p.get("required") for p in params):
            continue
        for headers in ({}, bearer(raw)):
            response = client.get(path, **headers)
            status = str(response.status_code)
            assert status in operation["responses"], (path, status)
            media_type = response["Content-Type"].split(";")[0].strip()
            declared = operation["responses"][status].get("content", {})
            assert media_type in declared, (path, status, media_type, list(declared))
            checked += 1
    assert checked >= 20


def test_every_429_carries_the_documented_retry_after(client):
    body = {"version": 1, "answers": {}}
    # The diagnostic's own limit (30 an hour per address) answered 429 without the header.
    for _ in range(30):
        client.post("/api/v1/diagnostic/responses", data=body, content_type="application/json")
    response = client.post(
        "/api/v1/diagnostic/responses", data=body, content_type="application/json"
    )
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 3600
    assert response.json()["error"]["details"]["retry_after"] == int(response["Retry-After"])
