import pytest
from django.urls import reverse

from tests.factories import UserFactory

from .conftest import link_in

pytestmark = pytest.mark.django_db

RESET = "/compte/mot-de-passe/oublie/"
NEW = "un-nouveau-mot-de-passe-solide"


def test_reset_sends_a_french_link_that_sets_a_new_password(client, sent):
    user = UserFactory(email="alix@example.org")
    with sent() as outbox:
        response = client.post(RESET, {"email": "Alix@example.org"})
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert len(outbox) == 1
    assert outbox[0].subject == "Choisir un nouveau mot de passe"
    link = link_in(outbox[0])
    # Django swaps the token for a session marker and redirects to the form.
    form_url = client.get(link).url
    page = client.get(form_url)
    assert page.status_code == 200
    assert 'autocomplete="new-password"' in page.content.decode()
    response = client.post(form_url, {"new_password1": NEW, "new_password2": NEW})
    assert response["Location"] == reverse("accounts:password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(NEW)
    # The link works once.
    assert "plus valable" in client.get(link, follow=True).content.decode()


def test_reset_for_an_unknown_address_answers_the_same_without_mail(client, sent):
    with sent() as outbox:
        response = client.post(RESET, {"email": "inconnu@example.org"})
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert outbox == []


def test_reset_confirms_an_unconfirmed_address(client, sent):
    user = UserFactory(email="attente@example.org", email_confirmed_at=None)
    with sent() as outbox:
        client.post(RESET, {"email": "attente@example.org"})
    form_url = client.get(link_in(outbox[0])).url
    client.post(form_url, {"new_password1": NEW, "new_password2": NEW})
    user.refresh_from_db()
    assert user.email_confirmed_at is not None


def test_weak_new_password_is_refused_in_french(client, sent):
    UserFactory(email="alix@example.org")
    with sent() as outbox:
        client.post(RESET, {"email": "alix@example.org"})
    form_url = client.get(link_in(outbox[0])).url
    html = client.post(form_url, {"new_password1": "abc", "new_password2": "abc"}).content
    assert "trop court" in html.decode()


def test_reset_requests_are_rate_limited(client, settings):
    settings.ACCOUNTS_RATE_LIMITS = {"password_reset_ip": (1, 3600)}
    client.post(RESET, {"email": "a@example.org"})
    response = client.post(RESET, {"email": "a@example.org"})
    assert response.status_code == 429
    assert "Trop de tentatives" in response.content.decode()


def test_forged_reset_link_is_refused(client):
    response = client.get("/compte/mot-de-passe/nouveau/MQ/faux-jeton/")
    assert response.status_code == 200
    assert "plus valable" in response.content.decode()


def test_password_change_needs_the_current_password(client):
    user = UserFactory()
    client.force_login(user)
    url = reverse("accounts:password_change")
    html = client.get(url).content.decode()
    assert 'autocomplete="current-password"' in html
    assert "Au moins 10 caractères" in html
    response = client.post(
        url, {"old_password": "faux", "new_password1": NEW, "new_password2": NEW}
    )
    assert "ancien mot de passe est incorrect" in response.content.decode()
    response = client.post(
        url,
        {"old_password": "motdepasse-solide-42", "new_password1": NEW, "new_password2": NEW},
    )
    assert response["Location"] == reverse("accounts:profile")
    user.refresh_from_db()
    assert user.check_password(NEW)
    # Still signed in after the change.
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_account_without_password_can_choose_one(client):
    user = UserFactory()
    user.set_unusable_password()
    user.save()
    client.force_login(user)
    url = reverse("accounts:password_change")
    assert "old_password" not in client.get(url).content.decode()
    client.post(url, {"new_password1": NEW, "new_password2": NEW})
    user.refresh_from_db()
    assert user.check_password(NEW)


def test_password_change_requires_sign_in(client):
    response = client.get(reverse("accounts:password_change"))
    assert response["Location"].startswith(reverse("accounts:login"))
