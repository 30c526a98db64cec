"""F11 for the directory: reports, claims and listing edits (site and API) feed the team's
queues; they are limited per account and per client, the team exempt. F5: a claim code goes
to a listing's address, limited per address too."""

import pytest
from django.test import Client

from ressourcerie.directory.models import PlaceClaim, PlaceEdit, PlaceReport
from tests.api.conftest import assert_error
from tests.factories import StaffFactory, UserFactory

from .factories import PlaceFactory
from .test_api_edits import _claimed_place, _edits_url, _post, _token

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock(ratelimit_clock):
    return ratelimit_clock


def _from(n):
    return {"REMOTE_ADDR": f"198.51.100.{n}"}


def test_reports_are_limited_per_account(client):
    place = PlaceFactory()
    client.force_login(UserFactory())
    url = f"/acteurs/{place.slug}/signaler/"
    answers = [
        client.post(url, {"message": f"Fermé ({n}).", "email": ""}, **_from(n)) for n in range(6)
    ]
    assert [a.status_code for a in answers] == [302] * 5 + [429]
    assert PlaceReport.objects.count() == 5
    html = answers[-1].content.decode()
    assert "Réessayez dans 30 minutes." in html
    assert "Fermé (5)." in html


def test_anonymous_reports_are_limited_per_ipv6_64(client):
    place = PlaceFactory()
    url = f"/acteurs/{place.slug}/signaler/"
    answers = [
        client.post(url, {"message": "Fermé.", "email": ""}, REMOTE_ADDR=f"2001:db8:9:9::{n}")
        for n in range(1, 7)
    ]
    assert [a.status_code for a in answers] == [302] * 5 + [429]


def test_staff_claims_are_limited_per_account(client):
    user = UserFactory()
    client.force_login(user)
    answers = []
    for n in range(6):
        place = PlaceFactory()
        response = client.post(
            f"/acteurs/{place.slug}/gerer/",
            {"action": "staff", "staff-message": f"Je suis la directrice ({n})."},
            **_from(n),
        )
        answers.append(response.status_code)
    assert answers == [302] * 5 + [429]
    assert PlaceClaim.objects.count() == 5


def test_api_edits_are_limited_per_account_with_a_json_429():
    client = Client(raise_request_exception=False)
    place, editor = _claimed_place()
    token = _token(editor)
    answers = [
        _post(client, _edits_url(place), {"phone": f"05 45 00 00 {n + 10:02d}"}, **token)
        for n in range(11)
    ]
    assert [a.status_code for a in answers[:10]] == [202] * 10
    refused = assert_error(answers[10], 429, "rate_limited")
    assert refused["details"]["retry_after"] == 1800
    assert answers[10]["Retry-After"] == "1800"
    assert PlaceEdit.objects.count() == 10


def test_the_team_is_not_limited_on_api_edits():
    client = Client(raise_request_exception=False)
    place, _editor = _claimed_place()
    token = _token(StaffFactory())
    answers = [
        _post(client, _edits_url(place), {"phone": f"05 45 00 01 {n:02d}"}, **token).status_code
        for n in range(12)
    ]
    assert answers == [201] * 12
