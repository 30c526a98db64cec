"""Random text in every field of the sign-up and sign-in forms: never a 500, errors in
French, typed values kept (passwords never echoed), redirects stay on the site."""

import re
from html import escape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Any text a browser could send (lone surrogates cannot be encoded in a request).
text = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=300)
emailish = st.one_of(text, st.emails().map(str), st.just("alix@example.org"))

ENGLISH = re.compile(
    r"This field|Enter a valid|Ensure this value|Null characters|password is too|"
    r"Your password|didn’t match|Please enter",
)


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    settings.RATE_LIMITS_ENABLED = False


def assert_french_errors(response):
    form = response.context["form"]
    for messages in form.errors.values():
        for message in messages:
            assert message.strip()
            assert not ENGLISH.search(message), message
    assert not ENGLISH.search(response.content.decode())


def assert_kept(html, value):
    if value:
        assert escape(value) in html, value


def assert_passwords_not_echoed(html):
    for tag in re.findall(r'<input type="password"[^>]*>', html):
        assert "value=" not in tag, tag


def assert_local(location):
    assert location.startswith("/")
    assert not location.startswith("//")
    assert not location.startswith("/\\")


@FUZZ
@given(email=emailish, display_name=text, password1=text, password2=text, website_hp=text)
def test_signup_form_never_fails(client, email, display_name, password1, password2, website_hp):
    data = {
        "email": email,
        "display_name": display_name,
        "password1": password1,
        "password2": password2,
        "website_hp": website_hp,
    }
    response = client.post("/compte/inscription/", data)
    assert response.status_code in {200, 302}
    if response.status_code == 200:
        html = response.content.decode()
        assert_french_errors(response)
        assert_kept(html, email)
        assert_kept(html, display_name)
        assert_passwords_not_echoed(html)
    else:
        assert_local(response["Location"])


@FUZZ
@given(email=emailish, password=text, next_url=text, website_hp=text)
def test_login_form_never_fails(client, email, password, next_url, website_hp):
    UserFactory(email="alix@example.org")
    data = {"email": email, "password": password, "next": next_url, "website_hp": website_hp}
    response = client.post("/compte/connexion/", data)
    assert response.status_code in {200, 302}
    if response.status_code == 200:
        html = response.content.decode()
        assert_french_errors(response)
        assert_kept(html, email)
        assert_passwords_not_echoed(html)
    else:
        assert_local(response["Location"])


@FUZZ
@given(email=emailish, next_url=text, code=text)
def test_code_sign_in_forms_never_fail(client, email, next_url, code):
    UserFactory(email="alix@example.org")
    response = client.post(
        "/compte/connexion/code/", {"email": email, "next": next_url, "website_hp": ""}
    )
    assert response.status_code in {200, 302}
    if response.status_code == 200:
        assert_french_errors(response)
        assert_kept(response.content.decode(), email)
        return
    response = client.post("/compte/connexion/code/saisie/", {"code": code})
    assert response.status_code == 200
    assert_french_errors(response)
    assert_kept(response.content.decode(), code)
    assert "_auth_user_id" not in client.session


@FUZZ
@given(token=text.filter(lambda t: "/" not in t and t.strip()))
def test_confirmation_links_never_fail(client, token):
    from urllib.parse import quote

    response = client.get(f"/compte/confirmer/{quote(token, safe='')}/")
    assert response.status_code in {400, 404}
