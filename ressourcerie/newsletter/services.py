"""Writes of the newsletter: subscriptions, consent, editions, and starting a send."""

from datetime import timedelta

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from ressourcerie.core.services import queue_email

from . import conf
from .models import (
    ConsentAction,
    ConsentRecord,
    Delivery,
    DeliveryStatus,
    Edition,
    EditionStatus,
    Subscriber,
    SubscriberStatus,
    encode_topics,
)


def _consent(subscriber, action, source):
    ConsentRecord.objects.create(
        subscriber=subscriber,
        action=action,
        wording_version=conf.WORDING_VERSION,
        topics=subscriber.topics,
        source=source,
    )


def _send_confirmation(subscriber):
    # The signed links are made when the worker sends (newsletter.emails): ids only here.
    queue_email(purpose="newsletter.confirm", ids={"subscriber": subscriber.pk})


def _send_already(subscriber):
    queue_email(purpose="newsletter.already", ids={"subscriber": subscriber.pk})


@transaction.atomic
def subscribe(*, email: str, topics: list[str], department=None, source="formulaire"):
    """Start a double opt-in (or remind a confirmed subscriber of their preferences link).
    The answer never tells whether the address was already known."""
    now = timezone.now()
    subscriber = Subscriber.objects.select_for_update().filter(email__iexact=email).first()
    if subscriber is None:
        try:
            with transaction.atomic():
                subscriber = Subscriber.objects.create(
                    email=email,
                    topics=encode_topics(topics),
                    department=department,
                    confirmation_sent_at=now,
                )
        except IntegrityError:  # the same address, submitted twice at once
            return Subscriber.objects.get(email__iexact=email)
        _consent(subscriber, ConsentAction.SUBSCRIBE, source)
        _send_confirmation(subscriber)
        return subscriber
    if subscriber.status == SubscriberStatus.CONFIRMED:
        # No proof that the visitor owns the address: send the owner their link instead.
        _send_already(subscriber)
        return subscriber
    if subscriber.status != SubscriberStatus.PENDING:
        subscriber.token_version += 1  # old links must not act on the new subscription
        subscriber.bounce_count = 0
    subscriber.status = SubscriberStatus.PENDING
    subscriber.topics = encode_topics(topics)
    subscriber.department = department
    subscriber.confirmation_sent_at = now
    subscriber.save()
    _consent(subscriber, ConsentAction.SUBSCRIBE, source)
    _send_confirmation(subscriber)
    return subscriber


@transaction.atomic
def confirm(*, subscriber: Subscriber, source="lien de confirmation") -> bool:
    """Pending → confirmed. False when there was nothing to confirm."""
    updated = Subscriber.objects.filter(pk=subscriber.pk, status=SubscriberStatus.PENDING).update(
        status=SubscriberStatus.CONFIRMED, confirmed_at=timezone.now()
    )
    if updated:
        subscriber.refresh_from_db()
        _consent(subscriber, ConsentAction.CONFIRM, source)
    return bool(updated)


@transaction.atomic
def subscribe_account(*, user, topics: list[str], department=None) -> Subscriber:
    """A signed-in user with a confirmed address: ownership is proven, no e-mail round trip."""
    subscriber = Subscriber.objects.select_for_update().filter(email__iexact=user.email).first()
    now = timezone.now()
    if subscriber is None:
        subscriber = Subscriber(email=user.email)
    elif subscriber.status in (SubscriberStatus.UNSUBSCRIBED, SubscriberStatus.BOUNCING):
        subscriber.token_version += 1
        subscriber.bounce_count = 0
    was_confirmed = subscriber.status == SubscriberStatus.CONFIRMED and subscriber.pk
    subscriber.user = user
    subscriber.topics = encode_topics(topics)
    subscriber.department = department
    subscriber.status = SubscriberStatus.CONFIRMED
    subscriber.confirmed_at = subscriber.confirmed_at if was_confirmed else now
    subscriber.save()
    _consent(subscriber, ConsentAction.UPDATE if was_confirmed else ConsentAction.CONFIRM, "compte")
    return subscriber


@transaction.atomic
def update_preferences(*, subscriber, topics, department, source="lien de préférences"):
    subscriber.topics = encode_topics(topics)
    subscriber.department = department
    subscriber.save(update_fields=["topics", "department", "updated_at"])
    _consent(subscriber, ConsentAction.UPDATE, source)
    return subscriber


@transaction.atomic
def unsubscribe(*, subscriber, edition_id=None, source="lien") -> bool:
    """Leave at once. Idempotent (a client may POST twice). True if it changed anything."""
    updated = (
        Subscriber.objects.filter(pk=subscriber.pk)
        .exclude(status=SubscriberStatus.UNSUBSCRIBED)
        .update(status=SubscriberStatus.UNSUBSCRIBED, unsubscribed_at=timezone.now())
    )
    if updated:
        subscriber.refresh_from_db()
        _consent(subscriber, ConsentAction.UNSUBSCRIBE, source)
        if edition_id:
            Edition.objects.filter(pk=edition_id).update(
                unsubscribed_count=F("unsubscribed_count") + 1
            )
    return bool(updated)


@transaction.atomic
def delete_subscriber(*, email: str) -> int:
    """Deletion on request: the address, its consent records and deliveries."""
    deleted, _detail = Subscriber.objects.filter(email__iexact=email.strip()).delete()
    return deleted


def purge() -> dict:
    """Scheduled: unconfirmed after 7 days, bouncing after 90 days, unsubscribed after
    3 years; delivery rows 30 days after their edition was sent."""
    now = timezone.now()
    result = {}
    result["unconfirmed"] = Subscriber.objects.filter(
        status=SubscriberStatus.PENDING,
        confirmation_sent_at__lt=now - timedelta(days=conf.CONFIRMATION_DAYS),
    ).delete()[0]
    result["bouncing"] = Subscriber.objects.filter(
        status=SubscriberStatus.BOUNCING,
        last_bounce_at__lt=now - timedelta(days=conf.get("BOUNCING_RETENTION_DAYS")),
    ).delete()[0]
    result["unsubscribed"] = Subscriber.objects.filter(
        status=SubscriberStatus.UNSUBSCRIBED,
        unsubscribed_at__lt=now - timedelta(days=conf.get("UNSUBSCRIBED_RETENTION_DAYS")),
    ).delete()[0]
    result["deliveries"] = Delivery.objects.filter(
        edition__status=EditionStatus.SENT, edition__sent_at__lt=now - timedelta(days=30)
    ).delete()[0]
    return result


# --- editions -------------------------------------------------------------------------
def save_edition(*, edition: Edition, by=None) -> Edition:
    if edition.status not in (EditionStatus.DRAFT, EditionStatus.SCHEDULED):
        raise ValueError("An edition being sent or sent cannot change.")
    if edition.pk is None:
        edition.created_by = by
    edition.save()
    return edition


@transaction.atomic
def schedule_edition(*, edition: Edition, at) -> Edition:
    Edition.objects.filter(
        pk=edition.pk, status__in=[EditionStatus.DRAFT, EditionStatus.SCHEDULED]
    ).update(status=EditionStatus.SCHEDULED, scheduled_at=at)
    edition.refresh_from_db()
    return edition


@transaction.atomic
def unschedule_edition(*, edition: Edition) -> Edition:
    Edition.objects.filter(pk=edition.pk, status=EditionStatus.SCHEDULED).update(
        status=EditionStatus.DRAFT, scheduled_at=None
    )
    edition.refresh_from_db()
    return edition


def _insert_deliveries(edition_id: int) -> None:
    d = Delivery._meta.db_table
    s = Subscriber._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {d} (edition_id, subscriber_id, status, claimed_by, attempts, error) "  # noqa: S608
            f"SELECT %s, id, %s, '', 0, '' FROM {s} WHERE status = %s "
            "ON CONFLICT DO NOTHING",
            [edition_id, DeliveryStatus.PENDING, SubscriberStatus.CONFIRMED],
        )


def start_sending(*, edition: Edition, enqueue=True) -> Edition:
    """Freeze the recipients (one Delivery each, idempotent) and hand over to the worker."""
    with transaction.atomic():
        locked = Edition.objects.select_for_update().get(pk=edition.pk)
        if locked.status in (EditionStatus.DRAFT, EditionStatus.SCHEDULED):
            _insert_deliveries(locked.pk)
            locked.status = EditionStatus.SENDING
            locked.started_at = timezone.now()
            locked.recipients_count = Delivery.objects.filter(edition=locked).count()
            locked.save(update_fields=["status", "started_at", "recipients_count", "updated_at"])
        if enqueue and locked.status == EditionStatus.SENDING:
            from .tasks import send_edition

            transaction.on_commit(lambda: send_edition.enqueue(edition_id=locked.pk))
    return locked


def dispatch_due(now=None) -> list[int]:
    """Cron, every minute: start due editions, resume interrupted ones."""
    now = now or timezone.now()
    started = []
    for edition in Edition.objects.filter(status=EditionStatus.SCHEDULED, scheduled_at__lte=now):
        start_sending(edition=edition)
        started.append(edition.pk)
    for edition in Edition.objects.filter(status=EditionStatus.SENDING).exclude(pk__in=started):
        start_sending(edition=edition)  # re-enqueues; the claims make it harmless
        started.append(edition.pk)
    return started
