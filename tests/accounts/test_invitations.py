from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from ressourcerie.accounts import invitations
from ressourcerie.accounts.models import Invitation, Membership
from tests.core.organisation_fixtures import communes  # noqa: F401
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory


@pytest.fixture
def member(communes):  # noqa: F811
    return MembershipFactory(organisation=OrganisationFactory(name="Vélo nantais")).user


@pytest.fixture
def organisation(member):
    return member.memberships.get().organisation


def invite(client, organisation, email, capture):
    with capture(execute=True):
        return client.post(
            reverse("core:organisation_invite", args=[organisation.slug]), {"email": email}
        )


def token_from_last_mail():
    body = mail.outbox[-1].body
    path = reverse("core:invitation", args=["TOKEN"]).replace("TOKEN/", "")
    return body.split(path, 1)[1].split("/", 1)[0]


def test_member_invites_by_email_and_invitee_accepts(
    client, member, organisation, django_capture_on_commit_callbacks
):
    client.force_login(member)
    response = invite(
        client, organisation, "Nouvelle@Example.org", django_capture_on_commit_callbacks
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.email == "nouvelle@example.org"
    assert mail.outbox[-1].to == ["nouvelle@example.org"]
    assert "Vélo nantais" in mail.outbox[-1].subject
    token = token_from_last_mail()
    assert len(invitation.token_hash) == 64 and token not in invitation.token_hash
    assert invitation.expires_at - timezone.now() > timedelta(days=13)

    client.logout()
    page = client.get(reverse("core:invitation", args=[token])).content.decode()
    assert "Rejoindre Vélo nantais" in page and reverse("accounts:login") in page
    assert "Devenir membre" not in page

    newcomer = UserFactory(email="nouvelle@example.org")
    client.force_login(newcomer)
    response = client.post(reverse("core:invitation", args=[token]))
    assert response.status_code == 302
    assert Membership.objects.filter(user=newcomer, organisation=organisation).exists()

    again = client.get(reverse("core:invitation", args=[token]))
    assert again.status_code == 410 and "déjà utilisée" in again.content.decode()
    assert client.post(reverse("core:invitation", args=[token])).status_code == 410


def test_expired_invitation_is_refused(client, member, organisation):
    invitation, token = invitations.invite_member(
        organisation=organisation, inviter=member, email="x@example.org"
    )
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    client.force_login(UserFactory())
    response = client.post(reverse("core:invitation", args=[token]))
    assert response.status_code == 410
    assert "Invitation expirée" in response.content.decode()
    assert not Membership.objects.filter(organisation=organisation).exclude(user=member).exists()


def test_forged_token_gets_a_clear_page(client, member):
    response = client.get(reverse("core:invitation", args=["pas-un-vrai-jeton"]))
    assert response.status_code == 404
    assert "Lien d'invitation non valable" in response.content.decode()
    client.force_login(member)
    assert client.post(reverse("core:invitation", args=["x" * 300])).status_code == 404


def test_invitations_are_rate_limited_per_day(client, member, organisation):
    for n in range(invitations.INVITATIONS_PER_DAY):
        invitations.invite_member(
            organisation=organisation, inviter=member, email=f"p{n}@example.org"
        )
    client.force_login(member)
    response = client.post(
        reverse("core:organisation_invite", args=[organisation.slug]),
        {"email": "encore@example.org"},
    )
    assert response.status_code == 200
    assert "réessayez demain" in response.content.decode()
    assert Invitation.objects.count() == invitations.INVITATIONS_PER_DAY


def test_existing_member_is_not_invited_again(client, member, organisation):
    client.force_login(member)
    page = client.post(
        reverse("core:organisation_invite", args=[organisation.slug]), {"email": member.email}
    ).content.decode()
    assert "déjà membre" in page


def test_invalid_email_is_refused_in_french(client, member, organisation):
    client.force_login(member)
    page = client.post(
        reverse("core:organisation_invite", args=[organisation.slug]), {"email": "pas une adresse"}
    ).content.decode()
    assert "adresse" in page and 'value="pas une adresse"' in page
    assert not Invitation.objects.exists()


def test_invite_form_shown_to_members_on_the_page(client, member, organisation):
    client.force_login(member)
    page = client.get(
        reverse("core:organisation_detail", args=[organisation.slug])
    ).content.decode()
    assert "Inviter une personne" in page and str(member) in page
