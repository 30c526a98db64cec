import pytest
from django.urls import reverse

from ressourcerie.accounts.models import ApiToken, Role
from ressourcerie.accounts.services import create_api_token, revoke_api_token
from ressourcerie.core.tokens import hash_token
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

PROFILE = "/compte/"
TOKENS = "/compte/jetons/"


@pytest.mark.parametrize("url", [PROFILE, TOKENS, "/compte/mes-donnees/", "/compte/supprimer/"])
def test_account_pages_require_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_profile_lists_email_roles_and_links(client):
    user = UserFactory(email="alix@example.org")
    MembershipFactory(user=user, organisation=OrganisationFactory(name="Les Amis du Vélo"))
    MembershipFactory(user=user, organisation=None, role=Role.MODERATOR)
    client.force_login(user)
    html = client.get(PROFILE).content.decode()
    assert "alix@example.org" in html
    assert "Les Amis du Vélo : Membre d&#x27;une association" in html
    assert "Modérateur" in html
    for name in ["api_tokens", "personal_data", "delete", "password_change"]:
        assert reverse(f"accounts:{name}") in html


def test_profile_links_every_registered_page_of_ones_own_things(client):
    from ressourcerie.core import navigation

    client.force_login(UserFactory())
    html = client.get(PROFILE).content.decode()
    entries = navigation.account_entries()
    assert {e.url_name for e in entries} >= {"testimonials:mine", "donations:my_requests"}
    assert "Mon activité" in html
    for entry in entries:
        assert f'href="{reverse(entry.url_name)}"' in html, entry.url_name
        assert client.get(reverse(entry.url_name)).status_code == 200, entry.url_name


def test_profile_updates_display_name(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(PROFILE, {"display_name": "  Alix M.  "})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.display_name == "Alix M."


def test_too_long_display_name_is_refused_and_kept(client):
    user = UserFactory(display_name="Avant")
    client.force_login(user)
    response = client.post(PROFILE, {"display_name": "x" * 151})
    assert response.status_code == 200
    assert "x" * 151 in response.content.decode()
    user.refresh_from_db()
    assert user.display_name == "Avant"


def test_token_is_shown_once_and_stored_hashed(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(TOKENS, {"name": "Tableur"})
    html = response.content.decode()
    token = ApiToken.objects.get(user=user)
    raw = next(word for word in html.split("<code>")[1:] if word.startswith("rn_"))
    raw = raw.split("</code>")[0]
    assert hash_token(raw) == token.token_hash
    assert raw not in token.token_hash
    assert token.prefix in raw
    listing = client.get(TOKENS).content.decode()
    assert "Tableur" in listing
    assert raw not in listing
    assert f"rn_{token.prefix}" in listing


def test_token_name_is_required(client):
    client.force_login(UserFactory())
    response = client.post(TOKENS, {"name": "  "})
    assert "obligatoire" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_owner_revokes_a_token(client):
    user = UserFactory()
    token, _raw = create_api_token(user=user, name="Script")
    client.force_login(user)
    response = client.post(reverse("accounts:api_token_revoke", args=[token.pk]))
    assert response["Location"] == TOKENS
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert "révoqué le" in client.get(TOKENS).content.decode()


def test_stranger_can_neither_see_nor_revoke_another_persons_token(client):
    owner = UserFactory()
    token, _raw = create_api_token(user=owner, name="Secret de Alix")
    stranger = UserFactory()
    client.force_login(stranger)
    assert "Secret de Alix" not in client.get(TOKENS).content.decode()
    response = client.post(reverse("accounts:api_token_revoke", args=[token.pk]))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    with pytest.raises(ApiToken.DoesNotExist):
        revoke_api_token(user=stranger, token_id=token.pk)


def test_revoke_needs_post(client):
    user = UserFactory()
    token, _raw = create_api_token(user=user, name="Script")
    client.force_login(user)
    assert client.get(reverse("accounts:api_token_revoke", args=[token.pk])).status_code == 405


def test_active_tokens_are_capped(client):
    user = UserFactory()
    for i in range(20):
        create_api_token(user=user, name=f"jeton {i}")
    client.force_login(user)
    response = client.post(TOKENS, {"name": "un de trop"})
    assert "révoquez-en un" in response.content.decode()
    assert ApiToken.objects.filter(user=user).count() == 20


def test_create_api_token_service_returns_the_raw_value_once():
    user = UserFactory()
    token, raw = create_api_token(user=user, name=" API ")
    assert token.name == "API"
    assert ApiToken.objects.get(token_hash=hash_token(raw), revoked_at__isnull=True) == token
    revoke_api_token(user=user, token_id=token.pk)
    assert not ApiToken.objects.filter(token_hash=hash_token(raw), revoked_at__isnull=True)
