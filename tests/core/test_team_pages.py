"""Every staff page listed on /gestion/ lets the whole platform team in, and only it.

The team is staff accounts plus platform-wide moderators and administrators
(core.permissions.can_moderate). Pages once guarded by Django's staff_member_required sent
moderators, and anyone else, to the admin's English sign-in page instead."""

import pytest
from django.urls import reverse

from ressourcerie.accounts.models import Membership, Role
from ressourcerie.core import navigation
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TEAM_PAGES = [
    "newsletter:staff_editions",
    "newsletter:staff_edition_new",
    "newsletter:staff_subscribers",
    "newsletter:staff_subscribers_csv",
    "toolbox:to_verify",
    "directory:import",
    "directory:claims",
]


def team_member(role):
    user = UserFactory()
    Membership.objects.create(user=user, organisation=None, role=role)
    return user


@pytest.mark.parametrize("role", [Role.MODERATOR, Role.ADMINISTRATOR])
def test_a_platform_role_opens_every_team_page_it_is_shown(client, role):
    user = team_member(role)
    client.force_login(user)
    shown = navigation.staff_entries(user)
    home = client.get(reverse("core:staff")).content.decode()
    for entry in shown:
        assert f'href="{reverse(entry.url_name)}"' in home, entry.url_name
    # The Django admin is for staff accounts only: not offered to a moderator.
    assert "admin:index" not in [e.url_name for e in shown]
    assert f'href="{reverse("admin:index")}"' not in home
    for url in [reverse(name) for name in TEAM_PAGES] + [reverse(e.url_name) for e in shown]:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("name", TEAM_PAGES)
def test_others_are_refused_in_french_not_sent_to_the_admin(client, name):
    url = reverse(name)
    anonymous = client.get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("accounts:login"))
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403
