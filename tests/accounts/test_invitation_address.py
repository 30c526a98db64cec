"""F6: an invitation is accepted only by the account of the address it was sent to; the
invited person may create that account from the link."""

import pytest
from django.urls import reverse

from ressourcerie.accounts import invitations
from ressourcerie.accounts.models import Invitation, Membership, User
from ressourcerie.core.organisations.services import OrganisationError
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory


@pytest.fixture
def member(db):
    return MembershipFactory(organisation=OrganisationFactory(name="Vélo nantais")).user


@pytest.fixture
def organisation(member):
    return member.memberships.get().organisation


@pytest.fixture
def invited(member, organisation):
    """(invitation, raw token) sent to camille@example.org."""
    return invitations.invite_member(
        organisation=organisation, inviter=member, email="camille@example.org"
    )


def invitation_url(token):
    return reverse("core:invitation", args=[token])


def test_another_account_is_refused_and_invitation_stays_pending(client, organisation, invited):
    invitation, token = invited
    stranger = UserFactory(email="intrus@example.org")
    client.force_login(stranger)

    page = client.get(invitation_url(token))
    content = page.content.decode()
    assert page.status_code == 403
    assert "Devenir membre" not in content
    assert "c•••@example.org" in content and "camille@example.org" not in content
    assert "intrus@example.org" in content
    assert reverse("accounts:logout") in content

    response = client.post(invitation_url(token))
    assert response.status_code == 403
    assert "Cette invitation a été envoyée à une autre adresse" in response.content.decode()
    assert not Membership.objects.filter(user=stranger, organisation=organisation).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_service_refuses_another_account(organisation, invited):
    _, token = invited
    stranger = UserFactory(email="intrus@example.org")
    with pytest.raises(OrganisationError) as refused:
        invitations.accept_invitation(raw_token=token, user=stranger)
    assert "autre adresse" in str(refused.value.message)
    assert not Membership.objects.filter(user=stranger).exists()
    assert Invitation.objects.get().accepted_at is None


def test_same_address_in_another_case_is_accepted(client, organisation, invited):
    invitation, token = invited
    Invitation.objects.filter(pk=invitation.pk).update(email=" Camille@Example.org ")
    invitee = UserFactory(email="camille@example.org")
    User.objects.filter(pk=invitee.pk).update(email="CAMILLE@example.ORG")
    client.force_login(invitee)

    response = client.post(invitation_url(token))

    assert response.status_code == 302
    assert response["Location"] == organisation.get_absolute_url()
    assert Membership.objects.filter(user=invitee, organisation=organisation).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None


def test_anonymous_visitor_is_offered_sign_in_and_sign_up_that_come_back(
    client, organisation, invited
):
    _, token = invited
    content = client.get(invitation_url(token)).content.decode()
    assert f"{reverse('accounts:login')}?next={invitation_url(token)}" in content
    assert reverse("accounts:signup_invitation", args=[token]) in content

    invitee = UserFactory(email="camille@example.org")
    response = client.post(
        f"{reverse('accounts:login')}?next={invitation_url(token)}",
        {"email": "camille@example.org", "password": "motdepasse-solide-42"},
    )
    assert response.status_code == 302 and response["Location"] == invitation_url(token)
    assert client.post(invitation_url(token)).status_code == 302
    assert Membership.objects.filter(user=invitee, organisation=organisation).exists()


def test_sign_up_from_the_link_ends_as_a_member(client, organisation, invited):
    invitation, token = invited
    url = reverse("accounts:signup_invitation", args=[token])

    page = client.get(url)
    content = page.content.decode()
    assert page.status_code == 200
    assert 'value="camille@example.org"' in content and "disabled" in content
    assert page["Cache-Control"].count("no-store") == 1

    response = client.post(
        url,
        {
            # A different address typed into the locked field is ignored.
            "email": "autre@example.org",
            "display_name": "Camille",
            "password1": "un-mot-de-passe-solide-9",
            "password2": "un-mot-de-passe-solide-9",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == organisation.get_absolute_url()
    user = User.objects.get(email="camille@example.org")
    assert not User.objects.filter(email="autre@example.org").exists()
    # The link reached that inbox: the address is confirmed, no second e-mail needed.
    assert user.email_confirmed_at is not None and user.display_name == "Camille"
    assert Membership.objects.filter(user=user, organisation=organisation).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    assert client.get(reverse("accounts:profile")).status_code == 200  # signed in


def test_sign_up_from_the_link_with_an_existing_account_asks_to_sign_in(
    client, organisation, invited
):
    invitation, token = invited
    existing = UserFactory(email="camille@example.org")
    response = client.post(
        reverse("accounts:signup_invitation", args=[token]),
        {
            "display_name": "Camille",
            "password1": "un-mot-de-passe-solide-9",
            "password2": "un-mot-de-passe-solide-9",
        },
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Un compte existe déjà avec cette adresse" in content
    assert f"{reverse('accounts:login')}?next={invitation_url(token)}" in content
    assert 'value="Camille"' in content  # input kept
    existing.refresh_from_db()
    assert existing.check_password("motdepasse-solide-42")
    assert not Membership.objects.filter(user=existing, organisation=organisation).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_sign_up_from_the_link_replaces_an_unconfirmed_account_password(
    client, organisation, invited
):
    """Someone who registered the address without proving it must not keep a way in."""
    _, token = invited
    squatter = UserFactory(email="camille@example.org", email_confirmed_at=None)
    response = client.post(
        reverse("accounts:signup_invitation", args=[token]),
        {
            "display_name": "Camille",
            "password1": "un-mot-de-passe-solide-9",
            "password2": "un-mot-de-passe-solide-9",
        },
    )
    assert response.status_code == 302
    squatter.refresh_from_db()
    assert squatter.email_confirmed_at is not None
    assert not squatter.check_password("motdepasse-solide-42")
    assert squatter.check_password("un-mot-de-passe-solide-9")
    assert Membership.objects.filter(user=squatter, organisation=organisation).exists()


def test_sign_up_from_a_used_link_goes_back_to_the_invitation_page(client, organisation, invited):
    invitation, token = invited
    invitations.accept_invitation(raw_token=token, user=UserFactory(email="camille@example.org"))
    response = client.get(reverse("accounts:signup_invitation", args=[token]))
    assert response.status_code == 302 and response["Location"] == invitation_url(token)
    assert client.get(reverse("accounts:signup_invitation", args=["faux"])).status_code == 302
