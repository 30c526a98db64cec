"""F5: "send me my diagnostic link" e-mails a typed address: limited per address as well as
per client."""

import pytest
from django.test import Client

from .test_taking import _start

pytestmark = pytest.mark.django_db


def test_the_link_is_sent_at_most_three_times_an_hour_to_one_address(
    small, small_structure, ratelimit_clock, mailoutbox, django_capture_on_commit_callbacks
):
    answers = []
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3):
            client = Client(REMOTE_ADDR=f"192.0.2.{n}")
            _start(client)
            answers.append(
                client.post("/autodiagnostic/plus-tard/", {"email": "Cible@example.org"})
            )
    assert [a.status_code for a in answers] == [302] * 3
    assert len(mailoutbox) == 3
    client = Client(REMOTE_ADDR="192.0.2.9")
    _start(client)
    refused = client.post("/autodiagnostic/plus-tard/", {"email": " cible@example.org"})
    assert refused.status_code == 429
    assert len(mailoutbox) == 3
    assert "Réessayez dans 30 minutes." in refused.content.decode()
    assert (
        client.post("/autodiagnostic/plus-tard/", {"email": "autre@example.org"}).status_code == 302
    )
