"""F5 and F11 for organisations: an invitation e-mails a typed address (limited per address,
whoever invites), a correction feeds the moderation queue (per account and per client, the
team exempt)."""

import pytest
from django.urls import reverse

from ressourcerie.accounts.models import Invitation
from ressourcerie.core.models import OrganisationCorrection
from tests.factories import MembershipFactory, OrganisationFactory, StaffFactory, UserFactory

from .organisation_fixtures import communes  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock(ratelimit_clock):
    return ratelimit_clock


def test_one_address_is_invited_at_most_three_times_an_hour_whoever_invites(
    client,
    communes,  # noqa: F811
):
    answers = []
    for n in range(4):
        organisation = OrganisationFactory(name=f"Association {n}")
        client.force_login(MembershipFactory(organisation=organisation).user)
        answers.append(
            client.post(
                reverse("core:organisation_invite", args=[organisation.slug]),
                {"email": "Cible@example.org"},
                REMOTE_ADDR=f"192.0.2.{n}",
            )
        )
    assert [a.status_code for a in answers] == [302] * 3 + [429]
    assert Invitation.objects.count() == 3
    assert "Réessayez dans 30 minutes." in answers[-1].content.decode()


def test_corrections_are_limited_per_account_the_team_exempt(client, communes):  # noqa: F811
    organisation = OrganisationFactory(name="Vélo nantais")
    url = reverse("core:organisation_correction", args=[organisation.slug])
    client.force_login(UserFactory())
    answers = [
        client.post(url, {"message": f"Le siège a déménagé ({n})."}).status_code for n in range(11)
    ]
    assert answers == [302] * 10 + [429]
    assert OrganisationCorrection.objects.count() == 10
    client.force_login(StaffFactory())
    assert all(
        client.post(url, {"message": f"Vérifié ({n})."}).status_code == 302 for n in range(12)
    )
