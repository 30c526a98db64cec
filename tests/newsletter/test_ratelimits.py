"""F5: a subscription e-mails a confirmation link to the typed address: limited per address
(a 429 that says when to retry, whether or not the address is subscribed) and per client /64."""

import pytest

from ressourcerie.newsletter.models import Subscriber

from .factories import SubscriberFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("existing", [True, False])
def test_subscriptions_are_limited_per_target_address(
    client, ratelimit_clock, django_capture_on_commit_callbacks, mailoutbox, existing
):
    if existing:
        SubscriberFactory(email="cible@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        answers = [
            client.post(
                "/lettre/",
                {"topics": ["outils"], "email": "Cible@example.org"},
                REMOTE_ADDR=f"192.0.2.{n}",
            ).status_code
            for n in range(3)
        ]
    assert answers == [302] * 3
    sent = len(mailoutbox)
    refused = client.post(
        "/lettre/", {"topics": ["outils"], "email": "cible@example.org "}, REMOTE_ADDR="192.0.2.9"
    )
    assert refused.status_code == 429
    assert len(mailoutbox) == sent
    assert "Réessayez dans 30 minutes." in refused.content.decode()
    assert 'value="cible@example.org' in refused.content.decode()


def test_subscriptions_are_limited_per_ipv6_64(client, ratelimit_clock):
    answers = [
        client.post(
            "/lettre/",
            {"topics": ["outils"], "email": f"p{n}@example.org"},
            REMOTE_ADDR=f"2001:db8:3:4::{n + 1:x}",
        ).status_code
        for n in range(11)
    ]
    assert answers == [302] * 10 + [429]
    assert Subscriber.objects.count() == 10
