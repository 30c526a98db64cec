"""F13: every page reached through a secret link answers ``Cache-Control: no-store``.

The list of pages is generated from the URL conf, so a new secret-link page cannot escape:
any route with a segment named like a secret (token, code, uidb64, signed, key, secret) is
requested with a plausible and an invalid value, anonymously and signed in, by GET and POST,
and every answer (error pages included) must forbid storing. Secrets that travel in the
query string, and the pages a secret link opens through the session, are listed by hand.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.factories import UserFactory

SECRET_WORDS = {"token", "code", "uidb64", "signed", "key", "secret"}

# <converter:name> or <name> of a route, (?P<name>…) of a regular expression.
SEGMENT = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>|\(\?P<(?P<rname>\w+)>[^)]*\)")


def _walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}{pattern.namespace}:"
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), f"{namespace}{pattern.name or ''}"


def _is_secret(name: str) -> bool:
    return bool(set(name.lower().split("_")) & SECRET_WORDS)


def secret_routes() -> list[tuple[str, str]]:
    """(route, url name) of every pattern with a segment named like a secret."""
    found = []
    for route, name in _walk(get_resolver().url_patterns):
        names = [m["name"] or m["rname"] for m in SEGMENT.finditer(route)]
        if any(_is_secret(n) for n in names):
            found.append((route, name))
    return found


def build_path(route: str, secret_value: str) -> str:
    def replace(match):
        name = match["name"] or match["rname"]
        if match["converter"] == "int":
            # The route's own converter refuses anything else (Django's 404, no view).
            return "1" if secret_value == PLAUSIBLE else "999999"
        if _is_secret(name):
            return "MQ" if name == "uidb64" else secret_value
        return "1"

    path = SEGMENT.sub(replace, route).lstrip("^").rstrip("$")
    return "/" + path


# Shaped like the real ones (43 URL-safe characters); fixed, so that test ids are the same in
# every xdist worker.
PLAUSIBLE = "q3Zk8Jx0b1N4pL7wR2tY5uE9iO6aS3dF0gH8jK1lZ4c"
INVALID = "invalide"

# Pages that read a secret from the query string (a link back to an invitation…).
QUERY_STRING_SECRETS = [
    ("accounts:login", {"next": f"/associations/invitation/{PLAUSIBLE}/"}),
    ("accounts:code_request", {"next": f"/associations/invitation/{PLAUSIBLE}/"}),
]

# Every secret-link page the platform has today: the walk must find at least these.
KNOWN = {
    "core:invitation",
    "accounts:signup_invitation",
    "accounts:confirm_email",
    "accounts:password_reset_confirm",
    "newsletter:confirm",
    "newsletter:preferences",
    "newsletter:unsubscribe",
    "directory:confirm",
    "diagnostic:resume",
    "donations:confirm",
    "donations:follow",
    "donations:certificate",
}


def assert_no_store(response, what):
    assert response.status_code < 500, f"{what} answered {response.status_code}"
    assert "no-store" in response.get("Cache-Control", ""), (
        f"{what} answered {response.status_code} without Cache-Control: no-store "
        f"(got {response.get('Cache-Control')!r})"
    )


def test_the_walk_finds_every_known_secret_link():
    names = {name for _route, name in secret_routes()}
    assert names >= KNOWN, f"not found: {sorted(KNOWN - names)}"


@pytest.mark.parametrize(("route", "name"), secret_routes(), ids=lambda v: v)
@pytest.mark.parametrize("value", [PLAUSIBLE, INVALID], ids=["plausible", "invalid"])
@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "signed_in"])
def test_secret_link_pages_are_not_stored(client, db, route, name, value, signed_in):
    if signed_in:
        client.force_login(UserFactory())
    path = build_path(route, value)
    assert_no_store(client.get(path), f"GET {path}")
    assert_no_store(client.post(path, {}), f"POST {path}")


@pytest.mark.parametrize(
    ("name", "query"), QUERY_STRING_SECRETS, ids=[n for n, _q in QUERY_STRING_SECRETS]
)
def test_pages_with_a_secret_in_the_query_string_are_not_stored(client, db, name, query):
    assert_no_store(client.get(reverse(name), query), f"GET {name}")


def test_a_valid_invitation_link_is_not_stored(client, db):
    from ressourcerie.accounts import invitations
    from tests.factories import MembershipFactory

    member = MembershipFactory().user
    _invitation, token = invitations.invite_member(
        organisation=member.memberships.get().organisation, inviter=member, email="a@example.org"
    )
    for path in (
        reverse("core:invitation", args=[token]),
        reverse("accounts:signup_invitation", args=[token]),
    ):
        assert_no_store(client.get(path), f"GET {path}")
    client.force_login(UserFactory(email="b@example.org"))
    assert_no_store(client.get(reverse("core:invitation", args=[token])), "wrong account")


def test_a_resumed_diagnostic_and_the_pages_its_session_opens_are_not_stored(client, db):
    """The resume link puts the response in the session: every page of it shows the private
    link or the answers, so none of them may be stored either."""
    import json

    from ressourcerie.diagnostic import engine
    from ressourcerie.diagnostic import services as diagnostic
    from tests.diagnostic.conftest import SMALL, complete_via_client

    questionnaire, _outcome = diagnostic.load_questionnaire(data=json.loads(json.dumps(SMALL)))
    _response, token = diagnostic.start_response(questionnaire=questionnaire)
    resume = reverse("diagnostic:resume", args=[token])
    assert_no_store(client.get(resume), "resume")
    structure = engine.build_structure(questionnaire)
    for number in range(1, len(structure.axes) + 1):
        path = reverse("diagnostic:step", args=[number])
        assert_no_store(client.get(path), f"GET {path}")
    assert_no_store(client.get(reverse("diagnostic:saved")), "saved")
    complete_via_client(client, structure)
    for name in ("results", "results_pdf"):
        assert_no_store(client.get(reverse(f"diagnostic:{name}")), name)
    assert_no_store(client.get(resume), "resume of a completed diagnostic")
