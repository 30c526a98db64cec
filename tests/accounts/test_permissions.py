import logging

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError

from ressourcerie.accounts.models import Role
from ressourcerie.accounts.permissions import has_role, organisations_for
from ressourcerie.accounts.services import grant_role, revoke_role
from ressourcerie.core.permissions import can_moderate
from tests.factories import OrganisationFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_organisation_role_is_scoped_to_its_organisation():
    user = UserFactory()
    mine, other = OrganisationFactory(), OrganisationFactory()
    grant_role(user=user, role=Role.EDITOR, organisation=mine)
    assert has_role(user, Role.EDITOR, mine)
    assert not has_role(user, Role.EDITOR, other)
    assert has_role(user, Role.EDITOR)  # in some organisation
    assert not has_role(user, Role.MEMBER, mine)


def test_platform_roles():
    moderator, admin, staff, nobody = UserFactory(), UserFactory(), StaffFactory(), UserFactory()
    grant_role(user=moderator, role=Role.MODERATOR)
    grant_role(user=admin, role=Role.ADMINISTRATOR)
    # The team is core.permissions.can_moderate, the one definition.
    assert can_moderate(moderator) and not has_role(moderator, Role.ADMINISTRATOR)
    assert can_moderate(admin) and has_role(admin, Role.ADMINISTRATOR)
    assert can_moderate(staff)
    assert not can_moderate(nobody) and not has_role(nobody, Role.ADMINISTRATOR)
    assert has_role(moderator, Role.MODERATOR)


def test_anonymous_and_inactive_people_hold_no_role():
    user = UserFactory(is_active=False, is_staff=True)
    grant_role(user=user, role=Role.MODERATOR)
    for person in [AnonymousUser(), user, None]:
        assert not can_moderate(person)
        assert not has_role(person, Role.MODERATOR)
        assert not organisations_for(person).exists()


def test_organisations_for_lists_where_the_user_holds_a_role():
    user = UserFactory()
    a, b, _c = OrganisationFactory(), OrganisationFactory(), OrganisationFactory()
    grant_role(user=user, role=Role.MEMBER, organisation=a)
    grant_role(user=user, role=Role.EDITOR, organisation=a)
    grant_role(user=user, role=Role.REFURBISHER, organisation=b)
    grant_role(user=user, role=Role.REVIEWER)
    assert set(organisations_for(user)) == {a, b}
    assert list(organisations_for(user, role=Role.REFURBISHER)) == [b]


def test_grant_is_idempotent_and_revoke_reports(caplog):
    user, organisation = UserFactory(), OrganisationFactory()
    with caplog.at_level(logging.INFO, logger="ressourcerie.audit"):
        first = grant_role(user=user, role=Role.MEMBER, organisation=organisation)
        again = grant_role(user=user, role=Role.MEMBER, organisation=organisation)
    assert first == again
    assert revoke_role(user=user, role=Role.MEMBER, organisation=organisation)
    assert not revoke_role(user=user, role=Role.MEMBER, organisation=organisation)
    assert not has_role(user, Role.MEMBER, organisation)
    assert sum("role granted" in r.getMessage() for r in caplog.records) == 1


@pytest.mark.parametrize(
    ("role", "with_organisation"),
    [(Role.MEMBER, False), (Role.MODERATOR, True), ("pirate", False)],
)
def test_role_scope_is_checked(role, with_organisation):
    organisation = OrganisationFactory() if with_organisation else None
    with pytest.raises(ValidationError):
        grant_role(user=UserFactory(), role=role, organisation=organisation)
