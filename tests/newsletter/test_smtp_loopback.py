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
from ressourcerie.newsletter.transports import SmtpPool

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
    """Worker A sends one round and dies with a second round staged (messages without their
    final dot, marks not committed): the server discards those, nothing is sent twice."""
    settings.NEWSLETTER_BATCH_SIZE = 10
    subscribers = SubscriberFactory.create_batch(25)
    edition = EditionFactory()
    dispatch.start_sending(edition=edition, enqueue=False)
    edition.refresh_from_db()

    batch = sending.claim_batch(edition_id=edition.pk, worker="A", size=10)
    renderer = EditionRenderer(edition)
    transport = SmtpPool(size=4)
    report = sending.SendReport()
    sending.send_round(batch[:4], "A", renderer, transport, report)
    assert report.sent == 4
    transport.stage([(renderer.from_addr, d["email"], _raw(renderer, d)) for d in batch[4:8]])
    for slot in range(4):  # the process is gone: its sockets close, no dot, no QUIT
        transport.conns[slot].close()
    assert wait_for(lambda: len(smtp_sink.recorder.messages) == 4)

    # Worker B starts at once: A's claims are fresh, so B leaves them alone.
    report = sending.send_pending(edition.pk, worker="B")
    assert report.sent == 15 and not report.finished
    assert Delivery.objects.filter(status=DeliveryStatus.CLAIMED, claimed_by="A").count() == 6

    # After the claim timeout, a restarted worker takes A's claims over and finishes.
    _age_claims("A", settings)
    report = sending.send_pending(edition.pk, worker="C")
    assert report.sent == 6 and report.finished

    ids = smtp_sink.recorder.message_ids()
    recipients = [r[0] for r, _raw in smtp_sink.recorder.messages]
    assert sorted(recipients) == sorted(s.email for s in subscribers)  # no loss
    assert len(ids) == len(set(ids)) == 25  # no duplicate, not even with the same Message-ID
    edition.refresh_from_db()
    assert edition.status == EditionStatus.SENT
    assert edition.sent_count == 25


class Killed(BaseException):
    """SIGKILL, as far as this process can tell: nothing catches it."""


def _raw(renderer, d):
    return renderer.message(
        delivery_id=d["id"],
        email=d["email"],
        topics=d["topics"],
        department_id=d["department_id"],
        subscriber_id=d["subscriber_id"],
        token_version=d["token_version"],
    )


def _age_claims(worker, settings):
    Delivery.objects.filter(claimed_by=worker, status=DeliveryStatus.CLAIMED).update(
        claimed_at=timezone.now() - timedelta(seconds=settings.NEWSLETTER_CLAIM_TIMEOUT + 1)
    )


@pytest.mark.parametrize("pipelining", [False, True])
def test_killed_in_the_middle_of_a_batch_neither_duplicates_nor_loses(
    smtp_sink, settings, monkeypatch, pipelining
):
    """Rounds of 3 in a claimed batch of 10: the third round's commit never happens."""
    smtp_sink.recorder.pipelining = pipelining
    settings.NEWSLETTER_BATCH_SIZE = 10
    settings.NEWSLETTER_CONNECTIONS = 3
    subscribers = SubscriberFactory.create_batch(14)
    edition = EditionFactory()
    dispatch.start_sending(edition=edition, enqueue=False)
    real_mark = sending.mark_sent
    calls = []

    def mark_then_die_on_the_third_round(**kwargs):
        calls.append(kwargs["delivery_ids"])
        if len(calls) == 3:
            raise Killed
        return real_mark(**kwargs)

    monkeypatch.setattr(sending, "mark_sent", mark_then_die_on_the_third_round)
    with pytest.raises(Killed):
        sending.send_pending(edition.pk, worker="A")
    monkeypatch.setattr(sending, "mark_sent", real_mark)
    # Two rounds went out and are marked; the third was staged on the wire, never completed.
    assert wait_for(lambda: len(smtp_sink.recorder.messages) == 6)
    assert Delivery.objects.filter(status=DeliveryStatus.SENT).count() == 6
    assert Delivery.objects.filter(claimed_by="A", status=DeliveryStatus.CLAIMED).count() == 4

    _age_claims("A", settings)
    report = sending.send_pending(edition.pk, worker="B")
    assert report.sent == 8 and report.finished
    recipients = [r[0] for r, _raw in smtp_sink.recorder.messages]
    assert sorted(recipients) == sorted(s.email for s in subscribers)
    ids = smtp_sink.recorder.message_ids()
    assert len(ids) == len(set(ids)) == 14


def test_a_claim_taken_over_is_never_completed(smtp_sink, settings):
    """A worker so slow that its claims went stale: another took them over meanwhile, so its
    commit finds them no longer its own and it drops the staged messages."""
    SubscriberFactory.create_batch(3)
    edition = EditionFactory()
    dispatch.start_sending(edition=edition, enqueue=False)
    edition.refresh_from_db()
    batch = sending.claim_batch(edition_id=edition.pk, worker="slow", size=3)
    _age_claims("slow", settings)
    assert sending.send_pending(edition.pk, worker="fast").sent == 3

    report = sending.SendReport()
    sending.send_round(batch, "slow", EditionRenderer(edition), SmtpPool(size=3), report)
    assert report.sent == 0
    ids = smtp_sink.recorder.message_ids()
    assert len(ids) == len(set(ids)) == 3


def test_pipelining_relay_with_a_refused_recipient(smtp_sink, settings):
    smtp_sink.recorder.pipelining = True
    settings.NEWSLETTER_BOUNCE_LIMIT = 1
    settings.NEWSLETTER_CONNECTIONS = 4
    bad = SubscriberFactory(email="inconnu@example.org")
    SubscriberFactory.create_batch(6)
    smtp_sink.recorder.reject["inconnu@example.org"] = "550 5.1.1 No such user"
    report = _send_edition(EditionFactory())
    assert report.sent == 6 and report.failed == 1 and report.finished
    assert len(smtp_sink.recorder.messages) == 6
    bad.refresh_from_db()
    assert bad.status == SubscriberStatus.BOUNCING


def test_refusal_at_the_final_dot_unmarks_the_delivery(smtp_sink, settings):
    settings.NEWSLETTER_BOUNCE_LIMIT = 1
    bad = SubscriberFactory(email="refuse@example.org")
    SubscriberFactory.create_batch(2)
    smtp_sink.recorder.reject_data["refuse@example.org"] = "554 5.6.0 Message refused"
    report = _send_edition(EditionFactory())
    assert report.sent == 2 and report.failed == 1 and report.finished
    delivery = Delivery.objects.get(subscriber=bad)
    assert delivery.status == DeliveryStatus.FAILED and delivery.sent_at is None
    assert "554" in delivery.error


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
    # Longer than two timeouts: the replies are read one connection after the other, so
    # the second one is waited for from the end of the first wait (1 s) to 2 s.
    smtp_sink.recorder.stall_seconds = 3
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
