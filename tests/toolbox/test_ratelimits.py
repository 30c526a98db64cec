"""F11: proposals and corrections of tools feed the moderation queue: limited per account and
per client, the team exempt."""

import pytest

from ressourcerie.core.models import ModerationStatus
from ressourcerie.toolbox.models import Tool, ToolCorrection
from tests.factories import StaffFactory, UserFactory
from tests.testimonials.factories import NeedFactory, ToolFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock(ratelimit_clock):
    return ratelimit_clock


@pytest.fixture
def tool():
    return ToolFactory(slug="outil-a", name="Outil A", moderation_status=ModerationStatus.PUBLISHED)


def _correction(n):
    return {"field": "website", "proposed_value": f"Le site a changé ({n})."}


def _proposal(n, need):
    return {
        "name": f"Outil imaginaire {n}",
        "pitch": "Un outil proposé par un bénévole.",
        "website": "https://exemple.org",
        "licence": "MIT",
        "price": "gratuit",
        "data_location": "ue",
        "difficulty": "debutant",
        "needs": [need.pk],
    }


def test_corrections_are_limited_per_account(client, tool):
    client.force_login(UserFactory())
    url = f"/outils/{tool.slug}/corriger/"
    answers = [client.post(url, _correction(n), REMOTE_ADDR=f"198.51.100.{n}") for n in range(6)]
    assert [a.status_code for a in answers] == [302] * 5 + [429]
    assert ToolCorrection.objects.count() == 5
    html = answers[-1].content.decode()
    assert "Réessayez dans 30 minutes." in html
    assert "Le site a changé (5)." in html  # what was typed is kept


def test_corrections_are_limited_per_client(client, tool):
    answers = []
    for n in range(21):
        client.force_login(UserFactory())
        answers.append(client.post(f"/outils/{tool.slug}/corriger/", _correction(n)).status_code)
    assert answers == [302] * 20 + [429]


def test_proposals_are_limited_per_account(client):
    need = NeedFactory(slug="stocker", parent=NeedFactory(slug="fichiers", name="Fichiers"))
    client.force_login(UserFactory())
    answers = [client.post("/outils/proposer/", _proposal(n, need)).status_code for n in range(6)]
    assert answers == [302] * 5 + [429]
    assert Tool.objects.filter(name__startswith="Outil imaginaire").count() == 5


def test_the_team_is_not_limited(client, tool):
    client.force_login(StaffFactory())
    answers = [
        client.post(f"/outils/{tool.slug}/corriger/", _correction(n)).status_code for n in range(25)
    ]
    assert answers == [302] * 25
