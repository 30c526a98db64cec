"""F5: a donor offer e-mails its follow link to the typed address: limited per address as well
as per client."""

import pytest

from ressourcerie.donations.models import Offer
from tests.factories import CommuneFactory

from .test_pages import _offer_data

pytestmark = pytest.mark.django_db


def test_offers_are_limited_per_target_address_whoever_sends_them(
    client, ratelimit_clock, django_capture_on_commit_callbacks, mailoutbox
):
    CommuneFactory()
    answers = []
    with django_capture_on_commit_callbacks(execute=True):
        for n, email in enumerate(["cible@example.org", "CIBLE@example.org ", "Cible@example.org"]):
            answers.append(
                client.post("/dons/donner/", _offer_data(email=email), REMOTE_ADDR=f"192.0.2.{n}")
            )
    assert [a.status_code for a in answers] == [302] * 3
    sent, offers = len(mailoutbox), Offer.objects.count()
    refused = client.post(
        "/dons/donner/",
        _offer_data(email="cible@example.org", name="Ma société"),
        REMOTE_ADDR="192.0.2.9",
    )
    assert refused.status_code == 429
    assert Offer.objects.count() == offers
    assert len(mailoutbox) == sent
    html = refused.content.decode()
    assert "Réessayez dans 30 minutes." in html
    assert 'value="Ma société"' in html
    other = client.post(
        "/dons/donner/", _offer_data(email="autre@example.org"), REMOTE_ADDR="192.0.2.9"
    )
    assert other.status_code == 302
