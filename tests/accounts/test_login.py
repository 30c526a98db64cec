import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/compte/connexion/"
PASSWORD = "motdepasse-solide-42"


def signed_in(client):
    return "_auth_user_id" in client.session


def test_login_page_has_accessible_fields(client):
    html = client.get(LOGIN).content.decode()
    assert 'autocomplete="email"' in html
    assert 'autocomplete="current-password"' in html
    assert 'for="id_password"' in html
    assert reverse("accounts:code_request") in html
    assert reverse("accounts:signup") in html


def test_confirmed_person_signs_in_with_any_case_of_address(client):
    user = UserFactory(email="alix@example.org")
    response = client.post(LOGIN, {"email": "Alix@Example.ORG", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:profile")
    assert client.session["_auth_user_id"] == str(user.pk)


def test_wrong_password_is_refused_in_french_and_email_kept(client):
    UserFactory(email="alix@example.org")
    response = client.post(LOGIN, {"email": "alix@example.org", "password": "faux-mot-de-passe"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Adresse e-mail ou mot de passe incorrect" in html
    assert 'value="alix@example.org"' in html
    assert "faux-mot-de-passe" not in html
    assert not signed_in(client)


def test_unknown_address_gets_the_same_message_as_wrong_password(client):
    response = client.post(LOGIN, {"email": "personne@example.org", "password": "peu-importe"})
    assert "Adresse e-mail ou mot de passe incorrect" in response.content.decode()


def test_unconfirmed_account_is_refused_with_offer_to_resend(client):
    UserFactory(email="attente@example.org", email_confirmed_at=None)
    response = client.post(LOGIN, {"email": "attente@example.org", "password": PASSWORD})
    html = response.content.decode()
    assert not signed_in(client)
    assert "pas encore confirmée" in html
    assert reverse("accounts:resend_confirmation") in html
    assert "Renvoyer le lien de confirmation" in html


def test_unconfirmed_status_is_not_revealed_without_the_password(client):
    UserFactory(email="attente@example.org", email_confirmed_at=None)
    response = client.post(LOGIN, {"email": "attente@example.org", "password": "mauvais-mdp"})
    html = response.content.decode()
    assert "pas encore confirmée" not in html
    assert "Adresse e-mail ou mot de passe incorrect" in html


def test_inactive_account_is_refused(client):
    UserFactory(email="ancien@example.org", is_active=False)
    client.post(LOGIN, {"email": "ancien@example.org", "password": PASSWORD})
    assert not signed_in(client)


def test_next_on_this_site_is_followed(client):
    UserFactory(email="alix@example.org")
    response = client.post(
        LOGIN, {"email": "alix@example.org", "password": PASSWORD, "next": "/compte/jetons/"}
    )
    assert response["Location"] == "/compte/jetons/"


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)", "\\\\evil"]
)
def test_next_to_another_site_is_ignored(client, target):
    UserFactory(email="alix@example.org")
    response = client.post(
        LOGIN, {"email": "alix@example.org", "password": PASSWORD, "next": target}
    )
    assert response["Location"] == reverse("accounts:profile")


def test_next_is_carried_from_the_query_string_into_the_form(client):
    html = client.get(LOGIN + "?next=/compte/jetons/").content.decode()
    assert 'name="next" value="/compte/jetons/"' in html


def test_sign_in_is_rate_limited_per_email(client, settings):
    settings.ACCOUNTS_RATE_LIMITS = {"login_email": (3, 300)}
    UserFactory(email="alix@example.org")
    for _ in range(3):
        client.post(LOGIN, {"email": "alix@example.org", "password": "faux"})
    response = client.post(LOGIN, {"email": "alix@example.org", "password": PASSWORD})
    assert response.status_code == 429
    html = response.content.decode()
    assert "Trop de tentatives" in html
    assert 'value="alix@example.org"' in html
    assert not signed_in(client)
    # Another address from the same place is still served.
    UserFactory(email="bea@example.org")
    assert client.post(LOGIN, {"email": "bea@example.org", "password": PASSWORD}).status_code == 302


def test_sign_in_is_rate_limited_per_ip(client, settings):
    settings.ACCOUNTS_RATE_LIMITS = {"login_ip": (3, 300)}
    for i in range(3):
        client.post(LOGIN, {"email": f"p{i}@example.org", "password": "faux"})
    response = client.post(LOGIN, {"email": "p9@example.org", "password": "faux"})
    assert response.status_code == 429
    other = client.post(
        LOGIN, {"email": "p9@example.org", "password": "faux"}, REMOTE_ADDR="10.0.0.9"
    )
    assert other.status_code == 200


def test_default_limit_is_ten_attempts_per_email(client):
    UserFactory(email="alix@example.org")
    statuses = [
        client.post(LOGIN, {"email": "alix@example.org", "password": "faux"}).status_code
        for _ in range(11)
    ]
    assert statuses[:10] == [200] * 10
    assert statuses[10] == 429


def test_rate_limits_can_be_disabled(client, settings):
    settings.RATE_LIMITS_ENABLED = False
    settings.ACCOUNTS_RATE_LIMITS = {"login_email": (1, 300)}
    for _ in range(3):
        response = client.post(LOGIN, {"email": "a@example.org", "password": "faux"})
    assert response.status_code == 200


def test_signed_in_person_visiting_login_is_redirected(client):
    client.force_login(UserFactory())
    assert client.get(LOGIN)["Location"] == reverse("accounts:profile")


def test_logout_needs_post(client):
    client.force_login(UserFactory())
    assert client.get("/compte/deconnexion/").status_code == 405
    assert signed_in(client)
    response = client.post("/compte/deconnexion/")
    assert response.status_code == 302
    assert not signed_in(client)
