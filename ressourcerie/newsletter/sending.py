"""The sending engine: claim a batch, send it in rounds of one message per SMTP connection,
and commit each round's marks between the message and its final dot, so that a killed
worker neither sends twice nor loses. See docs/parts/newsletter.md, "Sending"."""

import logging
import os
import socket
import time
import uuid
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from . import conf, services
from .models import Delivery, DeliveryStatus, Edition, EditionStatus, SubscriberStatus
from .rendering import EditionRenderer
from .transports import UNKNOWN, ConnectionProblem, make_transport

__all__ = ["make_transport", "send_pending"]  # the staff's test e-mail uses make_transport

log = logging.getLogger(__name__)


def worker_id() -> str:
    return f"{socket.gethostname()[:50]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


# --- claims ---------------------------------------------------------------------------
def claim_batch(*, edition_id: int, worker: str, size: int, now=None) -> list[dict]:
    """Atomically take up to ``size`` pending (or stale-claimed) deliveries."""
    now = now or timezone.now()
    stale = now - timedelta(seconds=conf.get("CLAIM_TIMEOUT"))
    with transaction.atomic():
        ids = list(
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(edition_id=edition_id)
            .filter(
                Q(status=DeliveryStatus.PENDING)
                | Q(status=DeliveryStatus.CLAIMED, claimed_at__lt=stale)
            )
            .order_by("id")
            .values_list("id", flat=True)[:size]
        )
        if not ids:
            return []
        Delivery.objects.filter(id__in=ids).update(
            status=DeliveryStatus.CLAIMED,
            claimed_by=worker,
            claimed_at=now,
            attempts=F("attempts") + 1,
        )
    return list(
        Delivery.objects.filter(id__in=ids, claimed_by=worker)
        .order_by("id")
        .values(
            "id",
            "subscriber_id",
            "attempts",
            email=F("subscriber__email"),
            topics=F("subscriber__topics"),
            department_id=F("subscriber__department_id"),
            token_version=F("subscriber__token_version"),
            subscriber_status=F("subscriber__status"),
        )
    )


_table = Delivery._meta.db_table


def mark_sent(*, delivery_ids: list[int], worker: str) -> set[int]:
    """One statement, one commit for a round: the deliveries still ours become "sent".
    Returns their ids; a claim taken over by another worker (ours went stale) is not
    returned, and its message must not be completed."""
    if not delivery_ids:
        return set()
    marks = ", ".join(["%s"] * len(delivery_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {_table} SET status = %s, sent_at = %s, error = '' "  # noqa: S608
            f"WHERE id IN ({marks}) AND claimed_by = %s AND status = %s RETURNING id",
            [DeliveryStatus.SENT, timezone.now(), *delivery_ids, worker, DeliveryStatus.CLAIMED],
        )
        return {row[0] for row in cursor.fetchall()}


def unmark(*, delivery_ids: list[int], worker: str, error: str) -> None:
    """Marked, but the connection died after the dot: the server may not have the message.
    Back to pending; if it did have it, the re-send carries the same Message-ID."""
    Delivery.objects.filter(
        id__in=delivery_ids, claimed_by=worker, status=DeliveryStatus.SENT
    ).update(
        status=DeliveryStatus.PENDING,
        claimed_by="",
        claimed_at=None,
        sent_at=None,
        error=error[:500],
    )


def release(*, delivery_ids: list[int], worker: str, error: str = "") -> None:
    """Give claims back (connection trouble): they will be sent by the next run."""
    Delivery.objects.filter(
        id__in=delivery_ids, claimed_by=worker, status=DeliveryStatus.CLAIMED
    ).update(status=DeliveryStatus.PENDING, claimed_by="", claimed_at=None, error=error[:500])


def record_permanent_failure(
    *, delivery_id: int, subscriber_id: int, worker: str, error: str, status=DeliveryStatus.CLAIMED
):
    """5xx. ``status`` is "sent" when the refusal came at the final dot, after the mark."""
    with transaction.atomic():
        updated = Delivery.objects.filter(pk=delivery_id, claimed_by=worker, status=status).update(
            status=DeliveryStatus.FAILED, sent_at=None, error=error[:500]
        )
        if updated:
            services.record_bounce(subscriber_id=subscriber_id, reason=error)


def record_temporary_failure(
    *, delivery_id: int, attempts: int, worker: str, error: str, status=DeliveryStatus.CLAIMED
):
    """4xx: keep the claim but un-owned; it becomes claimable after the claim timeout, which
    is the back-off. After NEWSLETTER_MAX_ATTEMPTS, the delivery fails for good."""
    qs = Delivery.objects.filter(pk=delivery_id, claimed_by=worker, status=status)
    if attempts >= conf.get("MAX_ATTEMPTS"):
        qs.update(status=DeliveryStatus.FAILED, sent_at=None, error=error[:500])
    else:
        qs.update(
            status=DeliveryStatus.CLAIMED,
            claimed_by="",
            claimed_at=timezone.now(),
            sent_at=None,
            error=error[:500],
        )


# --- the loop -------------------------------------------------------------------------
@dataclass
class SendReport:
    sent: int = 0
    failed: int = 0
    deferred: int = 0
    interrupted: str = ""
    finished: bool = False
    errors: list = field(default_factory=list)


class Throttle:
    def __init__(self, rate: float):
        self.interval = 1.0 / rate if rate and rate > 0 else 0.0
        self.next_at = time.monotonic()

    def wait(self, count: int = 1):
        if not self.interval:
            return
        now = time.monotonic()
        if self.next_at > now:
            time.sleep(self.next_at - now)
        self.next_at = max(self.next_at, now) + self.interval * count


def send_pending(
    edition_id: int, *, worker: str | None = None, max_batches=None, transport=None
) -> SendReport:
    """Send what is left of an edition. Safe to run in several processes at once."""
    report = SendReport()
    edition = Edition.objects.filter(pk=edition_id, status=EditionStatus.SENDING).first()
    if edition is None:
        return report
    worker = worker or worker_id()
    renderer = EditionRenderer(edition)
    transport = transport or make_transport()
    relaxed = connection.vendor == "postgresql" and not connection.in_atomic_block
    if relaxed:
        # Marks are committed without waiting for the WAL flush: a killed worker loses
        # nothing (the commit is in the server); only a crash of PostgreSQL itself could
        # forget the last ~0.6 s of marks, whose messages would be re-sent with the same
        # Message-ID.
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO OFF")
    try:
        return _send_loop(edition_id, worker, renderer, transport, max_batches, report)
    finally:
        transport.close()
        if relaxed:
            with connection.cursor() as cursor:
                cursor.execute("RESET synchronous_commit")


def _send_loop(edition_id, worker, renderer, transport, max_batches, report):
    throttle = Throttle(conf.get("RATE"))
    batches = 0
    while max_batches is None or batches < max_batches:
        batch = claim_batch(edition_id=edition_id, worker=worker, size=conf.get("BATCH_SIZE"))
        batches += 1
        if not batch:
            break
        live = [d for d in batch if d["subscriber_status"] == SubscriberStatus.CONFIRMED]
        gone = [d["id"] for d in batch if d["subscriber_status"] != SubscriberStatus.CONFIRMED]
        if gone:  # unsubscribed (or bouncing) since the edition started: nothing to send
            Delivery.objects.filter(id__in=gone, claimed_by=worker).delete()
        rounds = [live[i : i + transport.capacity] for i in range(0, len(live), transport.capacity)]
        envelopes = None
        for index, chunk in enumerate(rounds):
            throttle.wait(len(chunk))
            following = rounds[index + 1] if index + 1 < len(rounds) else []
            try:
                envelopes = send_round(
                    chunk,
                    worker,
                    renderer,
                    transport,
                    report,
                    envelopes=envelopes,
                    following=following,
                )
            except ConnectionProblem as exc:
                # Only claims are released: what this round marked stays marked.
                unsent = [d["id"] for later in rounds[index:] for d in later]
                release(delivery_ids=unsent, worker=worker, error=str(exc))
                report.interrupted = str(exc)
                log.warning("Newsletter %s interrupted: %s", edition_id, exc)
                return report
    report.finished = services.finish_edition(edition_id)
    return report


def envelopes_for(chunk, renderer) -> list[tuple[str, str, bytes]]:
    return [
        (
            renderer.from_addr,
            d["email"],
            renderer.message(
                delivery_id=d["id"],
                email=d["email"],
                topics=d["topics"],
                department_id=d["department_id"],
                subscriber_id=d["subscriber_id"],
                token_version=d["token_version"],
            ),
        )
        for d in chunk
    ]


def send_round(chunk, worker, renderer, transport, report, *, envelopes=None, following=()):
    """One message per connection: stage them all, commit their marks, then the dots.
    ``following`` (the next round's deliveries) is rendered while the server reads this
    round's messages, and its envelopes go with the dots; returns its rendered envelopes."""
    envelopes = envelopes or envelopes_for(chunk, renderer)
    refusals = transport.stage(envelopes)
    for d, refusal in zip(chunk, refusals, strict=True):
        if refusal is not None:
            _record_refusal(d, refusal, worker, report, DeliveryStatus.CLAIMED)
    staged = [d["id"] for d, refusal in zip(chunk, refusals, strict=True) if refusal is None]
    upcoming = envelopes_for(following, renderer)
    # The commit of the round. Killed before it: no dot was sent, the server discards the
    # staged messages, the claims go stale and are sent again. Killed after it: the marks
    # are in, and the dots follow within microseconds.
    owned = mark_sent(delivery_ids=staged, worker=worker)
    replies = transport.complete([d["id"] in owned for d in chunk], following=upcoming)
    unknown, problem = [], ""
    for d, reply in zip(chunk, replies, strict=True):
        if reply is None:
            continue  # refused before the data, or its claim was taken over: not sent
        if reply.accepted:
            report.sent += 1
        elif reply.code in (UNKNOWN, 421):
            unknown.append(d["id"])
            problem = f"{reply.code} {reply.text}"
        else:
            _record_refusal(d, reply, worker, report, DeliveryStatus.SENT)
    if unknown:
        unmark(delivery_ids=unknown, worker=worker, error=problem)
        raise ConnectionProblem(problem)
    return upcoming


def _record_refusal(d, reply, worker, report, status):
    error = f"{reply.code} {reply.text}"[:500]
    report.errors.append(error)
    if 500 <= reply.code < 600:
        record_permanent_failure(
            delivery_id=d["id"],
            subscriber_id=d["subscriber_id"],
            worker=worker,
            error=error,
            status=status,
        )
        report.failed += 1
    else:
        record_temporary_failure(
            delivery_id=d["id"], attempts=d["attempts"], worker=worker, error=error, status=status
        )
        report.deferred += 1
