import pytest

from tests.factories import MembershipFactory, OrganisationFactory, StaffFactory, UserFactory

from .factories import NeedFactory, SupportStructureFactory, ToolFactory


@pytest.fixture
def tools(db):
    need = NeedFactory()
    drive = ToolFactory(slug="google-drive", name="Google Drive", licence="LicenseRef-proprietary")
    nextcloud = ToolFactory(slug="nextcloud", name="Nextcloud")
    nextcloud.needs.add(need)
    drive.needs.add(need)
    return {"drive": drive, "nextcloud": nextcloud, "need": need}


@pytest.fixture
def association(db):
    return OrganisationFactory(
        name="Les Crampons nantais",
        slug="les-crampons-nantais",
        sector="sport",
        members_band="51-200",
    )


@pytest.fixture
def member(association):
    user = UserFactory(display_name="Awa Diallo")
    MembershipFactory(user=user, organisation=association)
    return user


@pytest.fixture
def moderator(db):
    return StaffFactory()


@pytest.fixture
def actor(db):
    return SupportStructureFactory(name="PANA Loire-Atlantique", slug="pana-loire-atlantique")


@pytest.fixture
def stranger(db):
    return UserFactory()
