import pytest
from django.urls import reverse

from ressourcerie.core.permissions import can_edit_organisation, can_moderate
from tests.factories import MembershipFactory, OrganisationFactory, StaffFactory, UserFactory

from .organisation_fixtures import VALID_RNA, communes, make_moderator  # noqa: F401


@pytest.fixture
def organisation(communes):  # noqa: F811
    return OrganisationFactory(name="Vélo nantais", rna=VALID_RNA)


def edit_data(**overrides):
    return {"name": "Vélo nantais et plus", "rna": VALID_RNA, "commune": "Nantes (44)", **overrides}


def test_stranger_is_refused_on_edit_verify_invite(client, organisation):
    slug = organisation.slug
    for name in ["organisation_edit", "organisation_invite"]:
        assert client.get(reverse(f"core:{name}", args=[slug])).status_code == 302
    assert client.post(reverse("core:organisation_verify", args=[slug])).status_code == 302
    client.force_login(UserFactory())
    for name in ["organisation_edit", "organisation_invite"]:
        assert client.get(reverse(f"core:{name}", args=[slug])).status_code == 403
    assert client.post(reverse("core:organisation_verify", args=[slug])).status_code == 403
    assert (
        client.post(reverse("core:organisation_edit", args=[slug]), edit_data()).status_code == 403
    )
    organisation.refresh_from_db()
    assert organisation.name == "Vélo nantais" and organisation.verified_at is None


def test_member_edits_own_organisation_only(client, organisation):
    member = MembershipFactory(organisation=organisation).user
    other = OrganisationFactory(name="Autre")
    client.force_login(member)
    page = client.get(reverse("core:organisation_edit", args=[organisation.slug])).content.decode()
    assert 'value="Nantes (44)"' in page and f'value="{VALID_RNA}"' in page
    response = client.post(reverse("core:organisation_edit", args=[organisation.slug]), edit_data())
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.name == "Vélo nantais et plus"
    assert client.get(reverse("core:organisation_edit", args=[other.slug])).status_code == 403
    assert can_edit_organisation(member, organisation)
    assert not can_edit_organisation(member, other)


def test_member_cannot_verify(client, organisation):
    member = MembershipFactory(organisation=organisation).user
    client.force_login(member)
    assert (
        client.post(reverse("core:organisation_verify", args=[organisation.slug])).status_code
        == 403
    )


def test_edit_keeps_its_own_identifiers_without_duplicate_error(client, organisation):
    member = MembershipFactory(organisation=organisation).user
    client.force_login(member)
    response = client.post(
        reverse("core:organisation_edit", args=[organisation.slug]), edit_data(name="Vélo nantais")
    )
    assert response.status_code == 302


@pytest.mark.parametrize("kind", ["staff", "moderator"])
def test_team_marks_organisation_verified(client, organisation, kind):
    user = StaffFactory() if kind == "staff" else make_moderator(UserFactory())
    client.force_login(user)
    page = client.get(
        reverse("core:organisation_detail", args=[organisation.slug])
    ).content.decode()
    assert "Marquer comme vérifiée" in page
    assert (
        client.get(reverse("core:organisation_verify", args=[organisation.slug])).status_code == 405
    )
    client.post(reverse("core:organisation_verify", args=[organisation.slug]))
    organisation.refresh_from_db()
    assert organisation.verified_by == user and organisation.verified_at is not None


def test_can_moderate_roles(db):
    assert not can_moderate(UserFactory())
    assert can_moderate(StaffFactory())
    assert can_moderate(make_moderator(UserFactory()))
    from django.contrib.auth.models import AnonymousUser

    assert not can_moderate(AnonymousUser())
