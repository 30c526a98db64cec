import logging

import pytest
from django.urls import reverse

from ressourcerie.accounts import personal_data
from ressourcerie.accounts.models import ApiToken, Invitation, LoginCode, Membership, User
from ressourcerie.accounts.services import _issue_code, create_api_token, delete_account
from ressourcerie.core.models import Organisation
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

from .conftest import code_in

pytestmark = pytest.mark.django_db

DELETE = "/compte/supprimer/"


@pytest.fixture
def member():
    user = UserFactory(email="alix@example.org")
    organisation = OrganisationFactory(name="Les Amis du Vélo", created_by=user)
    MembershipFactory(user=user, organisation=organisation)
    create_api_token(user=user, name="Tableur")
    _issue_code(user)
    Invitation.objects.create(
        organisation=organisation,
        email="invitee@example.org",
        token_hash="a" * 64,
        invited_by=user,
        expires_at=organisation.created_at,
    )
    return user


def test_page_explains_what_is_erased_and_kept(client, member):
    client.force_login(member)
    html = client.get(DELETE).content.decode()
    assert "définitive" in html
    assert "conservés, sans votre nom" in html
    assert 'autocomplete="current-password"' in html


def test_wrong_password_keeps_the_account(client, member):
    client.force_login(member)
    response = client.post(DELETE, {"password": "pas-le-bon"})
    assert response.status_code == 200
    assert "pas le bon" in response.content.decode()
    assert User.objects.filter(pk=member.pk).exists()


def test_deletion_erases_the_person_and_keeps_shared_content(client, member, caplog):
    other_member = MembershipFactory(organisation=Organisation.objects.get())
    client.force_login(member)
    user_id = member.pk
    with caplog.at_level(logging.INFO, logger="ressourcerie.audit"):
        response = client.post(DELETE, {"password": "motdepasse-solide-42"})
    assert response["Location"] == reverse("core:home")
    assert not User.objects.filter(pk=user_id).exists()
    assert not Membership.objects.filter(user_id=user_id).exists()
    assert not ApiToken.objects.filter(user_id=user_id).exists()
    assert not LoginCode.objects.filter(user_id=user_id).exists()
    assert not Invitation.objects.exists()
    organisation = Organisation.objects.get()
    assert organisation.created_by is None
    assert Membership.objects.filter(pk=other_member.pk).exists()
    assert "_auth_user_id" not in client.session
    audit = [r.getMessage() for r in caplog.records if r.name == "ressourcerie.audit"]
    assert audit == [f"account deleted: user={user_id} reason=requested"]
    assert "alix@example.org" not in caplog.text
    assert "supprimés" in client.get(reverse("core:home")).content.decode()


def test_erasure_steps_of_other_apps_run_before_the_user_row_goes(monkeypatch):
    monkeypatch.setattr(personal_data, "_erasure_steps", [])
    seen = []

    def step(user):
        seen.append((user.pk, User.objects.filter(pk=user.pk).exists()))

    personal_data.register_erasure(step)
    personal_data.register_erasure(step)  # registering twice runs once
    user = UserFactory()
    delete_account(user=user)
    assert len(seen) == 1
    assert seen[0][1] is True


def test_failing_erasure_step_keeps_everything(monkeypatch):
    monkeypatch.setattr(personal_data, "_erasure_steps", [])

    def broken(user):
        raise RuntimeError("boom")

    personal_data.register_erasure(broken)
    user = MembershipFactory().user
    with pytest.raises(RuntimeError):
        delete_account(user=user)
    assert User.objects.filter(pk=user.pk).exists()
    assert Membership.objects.filter(user=user).exists()


def test_account_without_password_confirms_with_an_emailed_code(client, sent):
    user = UserFactory()
    user.set_unusable_password()
    user.save()
    client.force_login(user)
    html = client.get(DELETE).content.decode()
    assert 'autocomplete="one-time-code"' in html
    with sent() as outbox:
        client.post(DELETE, {"action": "send_code"})
    code = code_in(outbox[0])
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    response = client.post(DELETE, {"code": wrong})
    assert "pas valide" in response.content.decode()
    assert User.objects.filter(pk=user.pk).exists()
    client.post(DELETE, {"code": code})
    assert not User.objects.filter(pk=user.pk).exists()


def test_deletion_attempts_are_rate_limited(client, member, settings, ratelimit_clock):
    settings.ACCOUNTS_RATE_LIMITS = {"delete_user": (2, 300)}
    client.force_login(member)
    for _ in range(2):
        client.post(DELETE, {"password": "faux"})
    response = client.post(DELETE, {"password": "motdepasse-solide-42"})
    assert response.status_code == 429
    assert User.objects.filter(pk=member.pk).exists()
    # Says when to retry, as every other refusal (the clock stands at the start of a window).
    html = response.content.decode()
    assert html.count("Trop de tentatives en peu de temps. Réessayez dans 5 minutes.") == 1


def test_deletion_codes_are_rate_limited_with_when_to_retry(
    client, sent, settings, ratelimit_clock
):
    settings.ACCOUNTS_RATE_LIMITS = {"code_request_email": (1, 3600)}
    user = UserFactory()
    user.set_unusable_password()
    user.save()
    client.force_login(user)
    with sent() as outbox:
        client.post(DELETE, {"action": "send_code"})
        page = client.post(DELETE, {"action": "send_code"}, follow=True).content.decode()
    assert len(outbox) == 1
    assert page.count("Trop de tentatives en peu de temps. Réessayez dans 30 minutes.") == 1
