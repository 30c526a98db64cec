"""The access matrix: every URL of the URL conf and every API operation, requested as every
role, answers what ``tests/access_matrix.py`` says.

A new URL that is not in the table fails the test (so a new view cannot escape the matrix),
and so does a row whose URL no longer exists. The objects in the URLs belong to someone else
(``tests/access_world.py``): the matrix proves that a stranger is refused.

Answers are compared as classes: ``200``, ``login`` (302 to the sign-in page), ``admin-login``
(302 to the admin's), ``302`` (another redirect), ``400``, ``401``, ``403``, ``404``, ``405``.
Set ``ACCESS_MATRIX_DUMP=1`` to print what each role actually gets, as table rows.
"""

import hashlib
import json
import os

import pytest
from django.apps import apps
from django.urls import reverse

from tests import access_matrix as table
from tests.access_world import ROLES, world_for_module
from tests.urlconf_walk import ADMIN_KEY, openapi_route, routes

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
ADMIN_LOGIN = reverse("admin:login")


def answer_class(response) -> str:
    if response.status_code in (301, 302, 303, 307):
        location = response["Location"]
        if location.startswith(LOGIN):
            return "login"
        if location.startswith(ADMIN_LOGIN):
            return "admin-login"
        return "302"
    return str(response.status_code)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    with world_for_module(django_db_blocker, tmp_path_factory.mktemp("media")) as built:
        yield built


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    # Hundreds of requests from one client in a second: the matrix is about permissions.
    settings.RATE_LIMITS_ENABLED = False
    settings.API_RATE_LIMITS = {"anonymous": (100_000, 60), "token": (100_000, 60)}


def html_routes():
    return [r for r in routes() if not r.is_api_operation and not r.is_admin]


def api_operations() -> list[tuple[str, str]]:
    """(method, path) of every operation of the OpenAPI document."""
    from ressourcerie.api.views import openapi_schema

    return [
        (method.upper(), path)
        for path, operations in openapi_schema()["paths"].items()
        for method in operations
    ]


def test_every_url_and_operation_has_a_row_and_every_row_a_url():
    keys = {r.key for r in html_routes()}
    if any(r.is_admin for r in routes()):
        keys.add(ADMIN_KEY)
    missing = sorted(keys - set(table.HTML))
    stale = sorted(set(table.HTML) - keys)
    operations = {f"{method} {path}" for method, path in api_operations()}
    missing += sorted(operations - set(table.API))
    stale += sorted(set(table.API) - operations)
    assert not missing, "Add these URLs to the access table (tests/access_matrix.py): " + ", ".join(
        missing
    )
    assert not stale, "These rows of tests/access_matrix.py match no URL any more: " + ", ".join(
        stale
    )


def test_every_api_url_pattern_is_an_operation_of_the_openapi_document():
    # An operation left out of the document would also be left out of the matrix.
    documented = {path for _method, path in api_operations()}
    hidden = sorted(
        openapi_route(r.route)
        for r in routes()
        if r.is_api_operation and openapi_route(r.route) not in documented
    )
    assert not hidden, f"API URLs missing from /api/v1/openapi.json: {hidden}"


def test_every_row_names_an_answer_for_every_role():
    incomplete = [
        key
        for key, row in {**table.HTML, **table.API}.items()
        for expected in (row.get, row.post)
        if expected is not None and set(expected) != set(ROLES)
    ]
    assert not incomplete, f"Rows without an answer for every role: {incomplete}"
    # A POST-only URL is also tried with POST: refusing a GET proves nothing about acting.
    unposted = [
        key for key, row in table.HTML.items() if row.post is None and "405" in row.get.values()
    ]
    assert not unposted, f"POST-only URLs without POST expectations: {unposted}"


# Written by signing in (the test signs in again after the POST that signs out) and by using
# an API token: not what a refused request could change.
VOLATILE = {"last_login", "last_used_at"}


def database_fingerprint() -> str:
    """A digest of every row of the project's own tables."""
    digest = hashlib.sha256()
    for model in apps.get_models():
        if not model.__module__.startswith("ressourcerie."):
            continue
        fields = [f.attname for f in model._meta.concrete_fields if f.name not in VOLATILE]
        rows = model._default_manager.order_by("pk").values_list(*fields)
        digest.update(repr(list(rows)).encode())
    return digest.hexdigest()


def _login(client, world, role):
    user = world.users[role]
    if user is not None:
        client.force_login(user)


def _check(actual: dict, key, method, url, role, expected, response):
    got = answer_class(response)
    actual.setdefault((key, method), {})[role] = got
    if got != expected:
        return f"{method} {url} as {role}: expected {expected}, got {got} ({key})"
    return None


def _dump(actual):
    for (key, method), answers in sorted(actual.items()):
        print(f"{method:5} {key!r}: {answers!r},")


TEAM_ROLES = {"moderator", "administrator", "staff"}


def _leaks(world, role, url, response) -> str | None:
    """Someone else's contact details in a page that a stranger may open."""
    if role in TEAM_ROLES or response.status_code != 200 or response.streaming:
        return None
    body = response.content.decode(errors="replace")
    found = [secret for secret in world.private_values if secret in body]
    return f"GET {url} as {role} shows someone else's {found}" if found else None


@pytest.mark.parametrize("role", ROLES)
def test_html_urls_answer_each_role_as_the_table_says(client, world, role):
    client.raise_request_exception = False  # a 500 is an answer to report, not a crash
    _login(client, world, role)
    mismatches, actual = [], {}
    for key, row in table.HTML.items():
        url = row.url(world)
        response = client.get(url)
        mismatches.append(_check(actual, key, "GET", url, role, row.get[role], response))
        mismatches.append(_leaks(world, role, url, response))
    # Then POSTs, after every GET (an allowed one may change what the next pages show):
    # first those that must change nothing for this role, checked against the database.
    posts = [(key, row) for key, row in table.HTML.items() if row.post is not None]
    posts.sort(key=lambda item: role in item[1].changes)
    before = database_fingerprint()
    refused = []
    for key, row in posts:
        url = row.url(world)
        if role not in row.changes:
            refused.append(url)
        elif refused:
            if database_fingerprint() != before:
                mismatches.append(f"POSTs as {role} that must change nothing changed: {refused}")
            refused = []
        _login(client, world, role)  # one of them signs out
        response = client.post(url, {})
        mismatches.append(_check(actual, key, "POST", url, role, row.post[role], response))
    if refused and database_fingerprint() != before:
        mismatches.append(f"POSTs as {role} that must change nothing changed: {refused}")
    if os.environ.get("ACCESS_MATRIX_DUMP"):
        _dump(actual)
    mismatches = [m for m in mismatches if m]
    assert not mismatches, f"{len(mismatches)} answers differ from the table:\n" + "\n".join(
        mismatches
    )


@pytest.mark.parametrize("role", ROLES)
def test_api_operations_answer_each_role_as_the_table_says(client, world, role):
    client.raise_request_exception = False
    headers = {}
    if world.api_tokens.get(role):
        headers["Authorization"] = f"Bearer {world.api_tokens[role]}"
    mismatches, actual = [], {}
    # Reads first, then writes (those allowed to change something last).
    operations = sorted(
        table.API.items(),
        key=lambda item: (not item[0].startswith("GET "), role in item[1].changes),
    )
    for key, row in operations:
        method, _path = key.split(" ", 1)
        url = row.url(world)
        if method == "GET":
            response = client.get(url, headers=headers)
            mismatches.append(_leaks(world, role, url, response))
            mismatches.append(_check(actual, key, method, url, role, row.get[role], response))
            continue
        before = database_fingerprint() if role not in row.changes else None
        response = client.generic(
            method, url, data=json.dumps(row.body), content_type="application/json", headers=headers
        )
        mismatches.append(_check(actual, key, method, url, role, row.get[role], response))
        if before is not None and database_fingerprint() != before:
            mismatches.append(f"{method} {url} as {role} must change nothing but did")
    if os.environ.get("ACCESS_MATRIX_DUMP"):
        _dump(actual)
    mismatches = [m for m in mismatches if m]
    assert not mismatches, f"{len(mismatches)} answers differ from the table:\n" + "\n".join(
        mismatches
    )


def test_the_matrix_catches_a_page_opened_to_a_stranger(client, world, monkeypatch):
    """The harness can fail: with the lot gate opened to anyone, a stranger's answer differs
    from the table and the page shows the donor's contact details."""
    monkeypatch.setattr("ressourcerie.donations.permissions.handles_lot", lambda user, lot: True)
    client.force_login(world.users["signed_in"])
    row = table.HTML["donations:lot"]
    response = client.get(row.url(world))
    assert _check({}, "donations:lot", "GET", "/", "signed_in", row.get["signed_in"], response)
    assert _leaks(world, "signed_in", "/", response)
