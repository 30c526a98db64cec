"""Done when: double opt-in, one-click unsubscribe (POST) versus page (GET), and exactly-once
delivery across a worker restart, all against a real SMTP server on 127.0.0.1."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from ressourcerie.newsletter import dispatch, sending
from ressourcerie.newsletter.models import (
    Delivery,
    DeliveryStatus,
    EditionStatus,
    Subscriber,
    SubscriberStatus,
)
from ressourcerie.newsletter.rendering import EditionRenderer

from .conftest import wait_for
from .factories import EditionFactory, SubscriberFactory

pytestmark = pytest.mark.django_db


def test_double_opt_in_confirms_only_on_post(client, smtp_sink, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/lettre/", {"email": "Benevole@Asso.example.org", "topics": ["outils", "dons"]}
        )
    assert response.status_code == 302
    assert wait_for(lambda: len(smtp_sink.recorder.messages) == 1)
    subscriber = Subscriber.objects.get(email__iexact="benevole@asso.example.org")
    assert subscriber.status == SubscriberStatus.PENDING
    assert subscriber.consents.filter(action="subscribe").exists()
    text = smtp_sink.recorder.parsed()[0].get_body(("plain",)).get_content()
    url = re.search(r"https://lettre\.example\.org(/lettre/confirmer/\S+/)", text).group(1)

    page = client.get(url)  # what a mail scanner does
    assert page.status_code == 200
    assert "Je confirme" in page.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.PENDING

    client.post(url)
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.CONFIRMED
    assert subscriber.consents.filter(action="confirm", wording_version__gt="").exists()
    # Replayed link: harmless, says it is done.
    assert client.post(url).status_code == 200
    assert Subscriber.objects.count() == 1


def _send_edition(edition):
    dispatch.start_sending(edition=edition, enqueue=False)
    return sending.send_pending(edition.pk)


def test_every_message_carries_one_click_headers_and_post_unsubscribes(smtp_sink):
    subscriber = SubscriberFactory()
    edition = EditionFactory()
    report = _send_edition(edition)
    assert report.sent == 1 and report.finished
    message = smtp_sink.recorder.parsed()[0]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = re.fullmatch(r"<(https://\S+)>", message["List-Unsubscribe"]).group(1)
    assert url.startswith("https://lettre.example.org/lettre/desinscription/")
    assert len(smtp_sink.recorder.messages[0][1]) < 100_000
    assert message.get_body(("plain",)).get_content().count("Bonjour") == 1
    path = url.removeprefix("https://lettre.example.org")

    strict = Client(enforce_csrf_checks=True)
    assert strict.get(path).status_code == 200  # a scanner following the link
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.CONFIRMED

    response = strict.post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.UNSUBSCRIBED
    edition.refresh_from_db()
    assert edition.unsubscribed_count == 1
    # A client retrying the POST is answered calmly and counted once.
    assert (
        strict.post(
            path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
        ).status_code
        == 200
    )
    edition.refresh_from_db()
    assert edition.unsubscribed_count == 1


def test_forged_unsubscribe_token_is_refused_cleanly(client, smtp_sink):
    SubscriberFactory()
    _send_edition(EditionFactory())
    url = smtp_sink.recorder.parsed()[0]["List-Unsubscribe"].strip("<>")
    path = url.removeprefix("https://lettre.example.org")
    forged = path[:-3] + ("A" if path[-3] != "A" else "B") + path[-2:]
    assert client.post(forged).status_code == 400
    assert Subscriber.objects.get().status == SubscriberStatus.CONFIRMED


def test_exactly_once_across_a_worker_crash_and_restart(smtp_sink, settings):
    settings.NEWSLETTER_BATCH_SIZE = 10
    subscribers = SubscriberFactory.create_batch(25)
    edition = EditionFactory()
    dispatch.start_sending(edition=edition, enqueue=False)
    edition.refresh_from_db()

    # Worker A claims a batch, sends 5 messages, records only 3, then dies (SIGKILL):
    # two messages were accepted by the server but never marked.
    batch = sending.claim_batch(edition_id=edition.pk, worker="A", size=10)
    renderer = EditionRenderer(edition)
    transport = sending.SmtpTransport()
    transport.open()
    for position, d in enumerate(batch[:5]):
        raw = renderer.message(
            delivery_id=d["id"],
            email=d["email"],
            topics=d["topics"],
            department_id=d["department_id"],
            subscriber_id=d["subscriber_id"],
            token_version=d["token_version"],
        )
        transport.send(renderer.from_addr, d["email"], raw)
        if position < 3:
            sending.mark_sent(delivery_id=d["id"], worker="A")
    transport.conn.close()  # no QUIT: the process is gone

    # Worker B starts at once: A's claims are fresh, so B leaves them alone.
    report = sending.send_pending(edition.pk, worker="B")
    assert report.sent == 15 and not report.finished
    assert Delivery.objects.filter(status=DeliveryStatus.CLAIMED, claimed_by="A").count() == 7

    # After the claim timeout, a restarted worker takes A's claims over and finishes.
    Delivery.objects.filter(claimed_by="A", status=DeliveryStatus.CLAIMED).update(
        claimed_at=timezone.now() - timedelta(seconds=settings.NEWSLETTER_CLAIM_TIMEOUT + 1)
    )
    report = sending.send_pending(edition.pk, worker="C")
    assert report.sent == 7 and report.finished

    ids = smtp_sink.recorder.message_ids()
    recipients = [r[0] for r, _raw in smtp_sink.recorder.messages]
    # Every subscriber got the edition: no loss.
    assert set(recipients) == {s.email for s in subscribers}
    # Deduplicated by Message-ID, exactly one message per subscriber...
    assert len(set(ids)) == 25
    # ...and the only repeats are the two messages caught in the crash window, resent with
    # the same Message-ID; the three marked ones were never sent again.
    assert len(ids) == 27
    edition.refresh_from_db()
    assert edition.status == EditionStatus.SENT
    assert edition.sent_count == 25
    assert Delivery.objects.filter(status=DeliveryStatus.SENT).count() == 25


def test_permanent_failure_records_error_and_marks_bouncing(smtp_sink, settings):
    settings.NEWSLETTER_BOUNCE_LIMIT = 1
    bad = SubscriberFactory(email="inconnu@example.org")
    SubscriberFactory.create_batch(2)
    smtp_sink.recorder.reject["inconnu@example.org"] = "550 5.1.1 No such user"
    report = _send_edition(EditionFactory())
    assert report.sent == 2 and report.failed == 1 and report.finished
    delivery = Delivery.objects.get(subscriber=bad)
    assert delivery.status == DeliveryStatus.FAILED and "550" in delivery.error
    bad.refresh_from_db()
    assert bad.bounce_count == 1 and bad.status == SubscriberStatus.BOUNCING


def test_temporary_failure_is_retried_later(smtp_sink, settings):
    later = SubscriberFactory(email="plein@example.org")
    smtp_sink.recorder.reject["plein@example.org"] = "451 4.2.2 Mailbox full, try later"
    edition = EditionFactory()
    report = _send_edition(edition)
    assert report.deferred == 1 and not report.finished
    del smtp_sink.recorder.reject["plein@example.org"]
    Delivery.objects.update(claimed_at=timezone.now() - timedelta(days=1))
    report = sending.send_pending(edition.pk)
    assert report.sent == 1 and report.finished
    later.refresh_from_db()
    assert later.bounce_count == 0


def test_refused_connection_leaves_the_edition_resumable(smtp_sink, settings):
    SubscriberFactory.create_batch(3)
    edition = EditionFactory()
    smtp_sink.stop()
    report = _send_edition(edition)
    assert report.interrupted and report.sent == 0
    edition.refresh_from_db()
    assert edition.status == EditionStatus.SENDING
    assert Delivery.objects.filter(status=DeliveryStatus.PENDING).count() == 3
    smtp_sink.start()
    report = sending.send_pending(edition.pk)
    assert report.sent == 3 and report.finished


def test_stalled_server_times_out_and_is_resumed(smtp_sink, settings):
    settings.NEWSLETTER_SMTP_TIMEOUT = 1
    SubscriberFactory.create_batch(2)
    edition = EditionFactory()
    smtp_sink.recorder.stall_seconds = 2
    report = _send_edition(edition)
    assert report.interrupted
    assert Delivery.objects.filter(status=DeliveryStatus.SENT).count() == 0
    smtp_sink.recorder.stall_seconds = 0
    report = sending.send_pending(edition.pk)
    assert report.finished
    # The stalled message may have been accepted late: same Message-ID, so no true double.
    ids = smtp_sink.recorder.message_ids()
    assert len(set(ids)) == 2


def test_task_sends_after_start(smtp_sink, django_capture_on_commit_callbacks):
    SubscriberFactory.create_batch(3)
    SubscriberFactory(status=SubscriberStatus.PENDING)
    edition = EditionFactory()
    with django_capture_on_commit_callbacks(execute=True):
        dispatch.start_sending(edition=edition)
    edition.refresh_from_db()
    assert edition.status == EditionStatus.SENT
    assert edition.recipients_count == 3 and edition.sent_count == 3
    assert len(smtp_sink.recorder.messages) == 3
