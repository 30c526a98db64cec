"""Dates a person reads or a rule counts are Paris dates, also late in the evening UTC (just
after midnight in Paris): each test runs at such a moment with a patched clock, chosen far
from any real date so that the machine's own clock cannot make a wrong answer right."""

import json
from datetime import UTC, date, datetime
from unittest import mock

import pytest

from ressourcerie.directory.exports import place_row
from ressourcerie.toolbox import selectors as toolbox_selectors
from ressourcerie.toolbox import services as toolbox_services
from ressourcerie.toolbox.models import Price, Tool
from tests.directory.factories import PlaceFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LATE_EVENING_UTC = datetime(2025, 6, 14, 22, 30, tzinfo=UTC)  # 15 June, 00:30 in Paris
PARIS_DAY = date(2025, 6, 15)


@pytest.fixture
def late_evening():
    with mock.patch("django.utils.timezone.now", return_value=LATE_EVENING_UTC):
        yield


def _tool(**fields):
    return Tool.objects.create(
        name="Outil daté",
        slug="outil-date",
        pitch="Un outil.",
        price=Price.FREE,
        moderation_status="published",
        **fields,
    )


def test_verifying_a_tool_records_the_paris_date(late_evening):
    tool = _tool()
    toolbox_services.mark_tool_verified(tool=tool, user=UserFactory())
    tool.refresh_from_db()
    assert tool.verified_on == PARIS_DAY


def test_tools_to_verify_counts_a_year_back_from_the_paris_date(late_evening):
    # Verified 366 Paris days ago: due (counted from the UTC date it would be 365, not due).
    tool = _tool(verified_on=date(2024, 6, 14))
    assert list(toolbox_selectors.tools_to_verify(days=365)) == [tool]


def test_open_data_update_date_of_a_place_is_the_paris_date(late_evening):
    place = PlaceFactory(source_updated_on=None, confirmed_at=LATE_EVENING_UTC)
    assert place_row(place)["date_maj"] == "2025-06-15"


def test_personal_data_export_is_dated_in_paris(client, late_evening):
    client.force_login(UserFactory(email="date@example.org"))
    response = client.get("/compte/mes-donnees/")
    assert response.status_code == 200
    assert 'filename="mes-donnees-2025-06-15.json"' in response["Content-Disposition"]
    assert json.loads(response.content)["genere_le"] == "2025-06-15"
