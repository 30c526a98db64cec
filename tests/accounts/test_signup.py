import time
from unittest import mock

import pytest
from django.urls import reverse

from ressourcerie.accounts.models import User
from tests.factories import UserFactory

from .conftest import link_in

pytestmark = pytest.mark.django_db

SIGNUP = "/compte/inscription/"
PASSWORD = "un-mot-de-passe-tres-solide"


def signup_data(**overrides):
    data = {
        "email": "Camille@Example.org",
        "display_name": "Camille",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "website_hp": "",
    }
    return {**data, **overrides}


def test_signup_page_is_accessible_and_explains_why_data_is_collected(client):
    response = client.get(SIGNUP)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'autocomplete="email"' in html
    assert html.count('autocomplete="new-password"') == 2
    assert 'for="id_email"' in html
    assert "elle n&#x27;est jamais transmise" in html or "elle n'est jamais transmise" in html
    assert reverse("core:privacy") in html
    assert "au moins 10 caractères" in html.lower()
    assert "<ul>" not in html.split('id="id_password1_helptext"')[1].split("</p>")[0]


def test_signup_creates_unconfirmed_account_and_sends_link(client, sent):
    with sent() as outbox:
        response = client.post(SIGNUP, signup_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:signup_done")
    user = User.objects.get()
    assert user.email == "camille@example.org"
    assert user.display_name == "Camille"
    assert user.email_confirmed_at is None
    assert user.check_password(PASSWORD)
    assert len(outbox) == 1
    assert outbox[0].to == ["camille@example.org"]
    assert "/compte/confirmer/" in outbox[0].body
    assert "7 jours" in outbox[0].body


def test_confirmation_link_confirms_and_signs_in_on_post(client, sent):
    with sent() as outbox:
        client.post(SIGNUP, signup_data())
    link = link_in(outbox[0])
    page = client.get(link)
    assert page.status_code == 200
    assert "Confirmer mon adresse" in page.content.decode()
    # Opening the link (as a mail scanner does) confirms nothing.
    assert User.objects.get().email_confirmed_at is None
    response = client.post(link)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:profile")
    assert User.objects.get().email_confirmed_at is not None
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_used_confirmation_link_does_not_sign_in_again(client, sent):
    with sent() as outbox:
        client.post(SIGNUP, signup_data())
    link = link_in(outbox[0])
    client.post(link)
    client.logout()
    response = client.post(link)
    assert response["Location"] == reverse("accounts:login")
    assert "_auth_user_id" not in client.session


def test_forged_confirmation_link_is_refused_cleanly(client):
    user = UserFactory(email_confirmed_at=None)
    from ressourcerie.accounts.services import confirmation_token

    token = confirmation_token(user)
    for bad in [token[:-2] + "xx", "nimporte-quoi", "a:b:c", token.replace(":", "")]:
        response = client.get(reverse("accounts:confirm_email", args=[bad]))
        assert response.status_code == 400
        assert "pas valable" in response.content.decode()
    user.refresh_from_db()
    assert user.email_confirmed_at is None


def test_expired_confirmation_link_is_refused_with_explanation(client):
    user = UserFactory(email_confirmed_at=None)
    from ressourcerie.accounts.services import confirmation_token

    eight_days_ago = time.time() - 8 * 24 * 3600
    with mock.patch("django.core.signing.time.time", return_value=eight_days_ago):
        token = confirmation_token(user)
    response = client.post(reverse("accounts:confirm_email", args=[token]))
    assert response.status_code == 400
    assert "expiré" in response.content.decode()
    user.refresh_from_db()
    assert user.email_confirmed_at is None


def test_link_for_a_previous_address_is_refused(client):
    user = UserFactory(email="ancienne@example.org", email_confirmed_at=None)
    from ressourcerie.accounts.services import confirmation_token

    token = confirmation_token(user)
    user.email = "nouvelle@example.org"
    user.save()
    assert client.get(reverse("accounts:confirm_email", args=[token])).status_code == 400


def test_signing_up_with_a_registered_address_reveals_nothing(client, sent):
    UserFactory(email="camille@example.org", display_name="Camille")
    with sent() as outbox:
        response = client.post(
            SIGNUP, signup_data(password1="autre-mdp-solide-99", password2="autre-mdp-solide-99")
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:signup_done")
    assert User.objects.count() == 1
    assert User.objects.get().check_password("motdepasse-solide-42")
    assert len(outbox) == 1
    assert "déjà un compte" in outbox[0].subject
    assert "/compte/connexion/" in outbox[0].body


def test_signing_up_again_while_unconfirmed_resends_the_link(client, sent):
    UserFactory(email="camille@example.org", email_confirmed_at=None)
    with sent() as outbox:
        client.post(SIGNUP, signup_data())
    assert User.objects.count() == 1
    assert "/compte/confirmer/" in outbox[0].body


def test_password_errors_are_in_french_and_typed_values_kept(client):
    response = client.post(
        SIGNUP, signup_data(password1="123", password2="123", display_name="Dominique")
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "trop court" in html
    assert 'value="Camille@Example.org"' in html
    assert 'value="Dominique"' in html
    assert 'value="123"' not in html
    assert not User.objects.exists()


def test_mismatched_passwords_are_refused(client):
    response = client.post(SIGNUP, signup_data(password2="un-autre-mot-de-passe"))
    assert "Les deux mots de passe diffèrent" in response.content.decode()
    assert not User.objects.exists()


def test_password_too_close_to_email_is_refused(client):
    response = client.post(
        SIGNUP,
        signup_data(
            email="jeanne.dupont@example.org",
            password1="jeanne.dupont@example.org",
            password2="jeanne.dupont@example.org",
        ),
    )
    assert "trop semblable" in response.content.decode()


def test_invalid_email_is_refused_in_french(client):
    response = client.post(SIGNUP, signup_data(email="pas-une-adresse"))
    assert "Saisissez une adresse e-mail valide" in response.content.decode()


def test_honeypot_refuses_bots(client):
    response = client.post(SIGNUP, signup_data(website_hp="http://spam.example"))
    assert response.status_code == 200
    assert not User.objects.exists()


def test_signup_is_rate_limited_per_address(client, settings):
    settings.ACCOUNTS_RATE_LIMITS = {"signup_ip": (2, 3600)}
    for i in range(2):
        client.post(SIGNUP, signup_data(email=f"p{i}@example.org"))
    response = client.post(SIGNUP, signup_data(email="p3@example.org"))
    assert response.status_code == 429
    assert "Trop de tentatives" in response.content.decode()
    assert User.objects.count() == 2


def test_signed_in_person_is_sent_to_profile(client):
    client.force_login(UserFactory())
    assert client.get(SIGNUP)["Location"] == reverse("accounts:profile")


def test_resend_confirmation_answers_the_same_for_any_address(client, sent):
    UserFactory(email="attente@example.org", email_confirmed_at=None)
    UserFactory(email="confirme@example.org")
    url = reverse("accounts:resend_confirmation")
    with sent() as outbox:
        responses = [
            client.post(url, {"email": email})
            for email in ["attente@example.org", "confirme@example.org", "inconnu@example.org"]
        ]
    assert {r["Location"] for r in responses} == {reverse("accounts:signup_done")}
    assert [m.to for m in outbox] == [["attente@example.org"]]


def test_resend_confirmation_is_rate_limited(client, settings):
    settings.ACCOUNTS_RATE_LIMITS = {"resend_email": (1, 3600)}
    url = reverse("accounts:resend_confirmation")
    client.post(url, {"email": "x@example.org"})
    assert client.post(url, {"email": "x@example.org"}).status_code == 429
