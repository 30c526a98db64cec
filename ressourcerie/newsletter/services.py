"""Writes of the newsletter: subscriptions and consent, editions, and the two status
machines. ``Subscriber.status`` changes only in ``transition_subscriber`` and
``Edition.status`` only in ``transition_edition`` (the sender calls them too); handing an
edition over to the worker is ``dispatch.start_sending``."""

from datetime import timedelta

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ressourcerie.core.errors import DomainError
from ressourcerie.core.services import queue_email
from ressourcerie.core.workflow import Machine, TransitionRecord

from . import conf, permissions
from .models import (
    ConsentAction,
    ConsentRecord,
    Delivery,
    DeliveryStatus,
    Edition,
    EditionStatus,
    EditionTransition,
    Subscriber,
    SubscriberStatus,
    encode_topics,
)


class NewsletterError(DomainError):
    """The newsletter refuses an action (French message, shown as it is)."""


S = SubscriberStatus
E = EditionStatus

# "" is a subscriber not yet in the table: subscribing by the form, or from an account.
SUBSCRIBER_MACHINE = Machine(
    states=SubscriberStatus,
    moves={
        "": {S.PENDING, S.CONFIRMED},
        S.PENDING: {S.CONFIRMED, S.UNSUBSCRIBED},
        S.CONFIRMED: {S.UNSUBSCRIBED, S.BOUNCING},
        S.UNSUBSCRIBED: {S.PENDING, S.CONFIRMED},
        S.BOUNCING: {S.PENDING, S.CONFIRMED, S.UNSUBSCRIBED},
    },
    error=NewsletterError,
    noun=gettext_lazy("Cet abonnement"),
)

# scheduled → scheduled is a new date for the sending.
EDITION_MACHINE = Machine(
    states=EditionStatus,
    moves={
        E.DRAFT: {E.SCHEDULED, E.SENDING},
        E.SCHEDULED: {E.DRAFT, E.SCHEDULED, E.SENDING},
        E.SENDING: {E.SENT},
    },
    error=NewsletterError,
    noun=gettext_lazy("Cette édition"),
)

EDITABLE = (E.DRAFT, E.SCHEDULED)
BOUNCE_SOURCE = "serveur de messagerie"


# --- subscribers ----------------------------------------------------------------------
def _record(subscriber, *, action, source, from_status, actor=None, reason=""):
    """One row of the subscriber's history: consent event and status change alike."""
    ConsentRecord.objects.create(
        subscriber=subscriber,
        action=action,
        wording_version="" if action == ConsentAction.BOUNCE else conf.WORDING_VERSION,
        topics=subscriber.topics,
        source=source,
        from_status=from_status,
        to_status=subscriber.status,
        actor=TransitionRecord.actor_or_none(actor),
        reason=reason[:500],
    )


def _send_confirmation(subscriber):
    # The signed links are made when the worker sends (newsletter.emails): ids only here.
    queue_email(purpose="newsletter.confirm", ids={"subscriber": subscriber.pk})


def _send_already(subscriber):
    queue_email(purpose="newsletter.already", ids={"subscriber": subscriber.pk})


def transition_subscriber(
    *, subscriber, to_status, action, source, actor=None, reason="", changes=None
) -> Subscriber:
    """The one way a subscriber's status changes: locked, checked, recorded, notified.
    ``subscriber`` may be unsaved (a new address); ``changes`` are saved with the move."""
    with transaction.atomic():
        if subscriber.pk is None:
            current, from_status = subscriber, ""
        else:
            current = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
            from_status = current.status
        SUBSCRIBER_MACHINE.check(from_status, to_status)
        if not permissions.can_change_subscription(actor, current):
            raise NewsletterError(_("Vous ne pouvez pas modifier cet abonnement."))
        for name, value in (changes or {}).items():
            setattr(current, name, value)
        now = timezone.now()
        if from_status in (S.UNSUBSCRIBED, S.BOUNCING) and to_status != S.UNSUBSCRIBED:
            current.token_version += 1  # old links must not act on the new subscription
            current.bounce_count = 0
        current.status = to_status
        if to_status == S.PENDING:
            current.confirmation_sent_at = now
        elif to_status == S.CONFIRMED:
            current.confirmed_at = now
        elif to_status == S.UNSUBSCRIBED:
            current.unsubscribed_at = now
        current.save()
        _record(
            current,
            action=action,
            source=source,
            from_status=from_status,
            actor=actor,
            reason=reason,
        )
        if to_status == S.PENDING:
            _send_confirmation(current)  # on commit
    if current is not subscriber and subscriber.pk is not None:
        subscriber.refresh_from_db()
    return current


@transaction.atomic
def subscribe(*, email: str, topics: list[str], department=None, source="formulaire"):
    """Start a double opt-in (or remind a confirmed subscriber of their preferences link).
    The answer never tells whether the address was already known."""
    changes = {"topics": encode_topics(topics), "department": department}
    subscriber = Subscriber.objects.select_for_update().filter(email__iexact=email).first()
    if subscriber is None:
        try:
            with transaction.atomic():
                return transition_subscriber(
                    subscriber=Subscriber(email=email),
                    to_status=S.PENDING,
                    action=ConsentAction.SUBSCRIBE,
                    source=source,
                    changes=changes,
                )
        except IntegrityError:  # the same address, submitted twice at once
            return Subscriber.objects.get(email__iexact=email)
    if subscriber.status == S.CONFIRMED:
        # No proof that the visitor owns the address: send the owner their link instead.
        _send_already(subscriber)
        return subscriber
    if subscriber.status == S.PENDING:
        # Still unconfirmed: new choices and a new e-mail, the status stays.
        for name, value in changes.items():
            setattr(subscriber, name, value)
        subscriber.confirmation_sent_at = timezone.now()
        subscriber.save()
        _record(subscriber, action=ConsentAction.SUBSCRIBE, source=source, from_status=S.PENDING)
        _send_confirmation(subscriber)
        return subscriber
    return transition_subscriber(
        subscriber=subscriber,
        to_status=S.PENDING,
        action=ConsentAction.SUBSCRIBE,
        source=source,
        changes=changes,
    )


def confirm(*, subscriber: Subscriber, source="lien de confirmation") -> bool:
    """Pending → confirmed. False when there was nothing to confirm."""
    with transaction.atomic():
        locked = Subscriber.objects.select_for_update().filter(pk=subscriber.pk).first()
        if locked is None or locked.status != S.PENDING:
            return False
        transition_subscriber(
            subscriber=locked, to_status=S.CONFIRMED, action=ConsentAction.CONFIRM, source=source
        )
    subscriber.refresh_from_db()
    return True


@transaction.atomic
def subscribe_account(*, user, topics: list[str], department=None) -> Subscriber:
    """A signed-in user with a confirmed address: ownership is proven, no e-mail round trip."""
    subscriber = Subscriber.objects.select_for_update().filter(email__iexact=user.email).first()
    changes = {"user": user, "topics": encode_topics(topics), "department": department}
    if subscriber is not None and subscriber.status == S.CONFIRMED:
        for name, value in changes.items():
            setattr(subscriber, name, value)
        subscriber.save()
        _record(
            subscriber,
            action=ConsentAction.UPDATE,
            source="compte",
            from_status=S.CONFIRMED,
            actor=user,
        )
        return subscriber
    return transition_subscriber(
        subscriber=subscriber or Subscriber(email=user.email),
        to_status=S.CONFIRMED,
        action=ConsentAction.CONFIRM,
        source="compte",
        actor=user,
        changes=changes,
    )


@transaction.atomic
def update_preferences(*, subscriber, topics, department, source="lien de préférences"):
    subscriber.topics = encode_topics(topics)
    subscriber.department = department
    subscriber.save(update_fields=["topics", "department", "updated_at"])
    _record(subscriber, action=ConsentAction.UPDATE, source=source, from_status=subscriber.status)
    return subscriber


def unsubscribe(*, subscriber, edition_id=None, source="lien", actor=None) -> bool:
    """Leave at once. Idempotent (a client may POST twice). True if it changed anything."""
    with transaction.atomic():
        locked = Subscriber.objects.select_for_update().filter(pk=subscriber.pk).first()
        if locked is None or locked.status == S.UNSUBSCRIBED:
            return False
        transition_subscriber(
            subscriber=locked,
            to_status=S.UNSUBSCRIBED,
            action=ConsentAction.UNSUBSCRIBE,
            source=source,
            actor=actor,
        )
        if edition_id:
            Edition.objects.filter(pk=edition_id).update(
                unsubscribed_count=F("unsubscribed_count") + 1
            )
    subscriber.refresh_from_db()
    return True


def record_bounce(*, subscriber_id: int, reason: str) -> None:
    """A permanent failure (5xx): count it; at NEWSLETTER_BOUNCE_LIMIT the address moves
    to bouncing, recorded with the server's answer. Called by the sender."""
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().filter(pk=subscriber_id).first()
        if subscriber is None:
            return
        subscriber.bounce_count += 1
        subscriber.last_bounce_at = timezone.now()
        subscriber.save(update_fields=["bounce_count", "last_bounce_at", "updated_at"])
        if subscriber.status == S.CONFIRMED and subscriber.bounce_count >= conf.get("BOUNCE_LIMIT"):
            transition_subscriber(
                subscriber=subscriber,
                to_status=S.BOUNCING,
                action=ConsentAction.BOUNCE,
                source=BOUNCE_SOURCE,
                reason=reason,
            )


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
        status=S.PENDING,
        confirmation_sent_at__lt=now - timedelta(days=conf.CONFIRMATION_DAYS),
    ).delete()[0]
    result["bouncing"] = Subscriber.objects.filter(
        status=S.BOUNCING,
        last_bounce_at__lt=now - timedelta(days=conf.get("BOUNCING_RETENTION_DAYS")),
    ).delete()[0]
    result["unsubscribed"] = Subscriber.objects.filter(
        status=S.UNSUBSCRIBED,
        unsubscribed_at__lt=now - timedelta(days=conf.get("UNSUBSCRIBED_RETENTION_DAYS")),
    ).delete()[0]
    result["deliveries"] = Delivery.objects.filter(
        edition__status=E.SENT, edition__sent_at__lt=now - timedelta(days=30)
    ).delete()[0]
    return result


# --- editions -------------------------------------------------------------------------
def is_editable(edition) -> bool:
    return edition.status in EDITABLE


def allowed_moves(edition, user) -> list:
    """The statuses this person may move the edition to now (what the buttons offer)."""
    return [
        s
        for s in EDITION_MACHINE.moves_from(edition.status)
        if permissions.can_move_edition(user, s)
    ]


def save_edition(*, edition: Edition, by=None) -> Edition:
    if not is_editable(edition):
        raise NewsletterError(_("Une édition en cours d'envoi ou envoyée ne change plus."))
    if edition.pk is None:
        edition.created_by = by
    edition.save()
    return edition


def _insert_deliveries(edition_id: int) -> None:
    d = Delivery._meta.db_table
    s = Subscriber._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {d} (edition_id, subscriber_id, status, claimed_by, attempts, error) "  # noqa: S608
            f"SELECT %s, id, %s, '', 0, '' FROM {s} WHERE status = %s "
            "ON CONFLICT DO NOTHING",
            [edition_id, DeliveryStatus.PENDING, S.CONFIRMED],
        )


def transition_edition(*, edition, to_status, actor=None, reason="", scheduled_at=None) -> Edition:
    """The one way an edition's status changes: locked, checked, recorded. Moving to
    "sending" freezes the recipients (one Delivery each, idempotent); to "sent" stores the
    aggregate counts. ``actor`` None is the system (cron, worker)."""
    with transaction.atomic():
        locked = Edition.objects.select_for_update().get(pk=edition.pk)
        from_status = locked.status
        EDITION_MACHINE.check(from_status, to_status)
        if not permissions.can_move_edition(actor, to_status):
            raise NewsletterError(_("Vous ne pouvez pas changer l'état de cette édition."))
        now = timezone.now()
        if to_status == E.SCHEDULED:
            if scheduled_at is None or scheduled_at <= now:
                raise NewsletterError(_("Indiquez une date et une heure à venir."))
            locked.scheduled_at = scheduled_at
        elif to_status == E.DRAFT:
            locked.scheduled_at = None
        elif to_status == E.SENDING:
            _insert_deliveries(locked.pk)
            locked.started_at = now
            locked.recipients_count = Delivery.objects.filter(edition=locked).count()
        elif to_status == E.SENT:
            counts = dict(
                Delivery.objects.filter(edition=locked)
                .values_list("status")
                .annotate(n=Count("id"))
                .values_list("status", "n")
            )
            locked.sent_at = now
            locked.sent_count = counts.get(DeliveryStatus.SENT, 0)
            locked.failed_count = counts.get(DeliveryStatus.FAILED, 0)
        locked.status = to_status
        locked.save()
        EditionTransition.objects.create(
            edition=locked,
            from_status=from_status,
            to_status=to_status,
            actor=TransitionRecord.actor_or_none(actor),
            reason=reason[:500],
        )
    if locked is not edition:
        edition.refresh_from_db()
    return locked


def schedule_edition(*, edition: Edition, at, by=None) -> Edition:
    return transition_edition(edition=edition, to_status=E.SCHEDULED, actor=by, scheduled_at=at)


def unschedule_edition(*, edition: Edition, by=None) -> Edition:
    return transition_edition(edition=edition, to_status=E.DRAFT, actor=by)


def finish_edition(edition_id: int) -> bool:
    """Close the edition once no delivery is pending or claimed (the sender calls it).
    True when nothing is left to send."""
    with transaction.atomic():
        edition = Edition.objects.select_for_update().filter(pk=edition_id).first()
        open_count = Delivery.objects.filter(
            edition_id=edition_id, status__in=[DeliveryStatus.PENDING, DeliveryStatus.CLAIMED]
        ).count()
        if open_count:
            return False
        if edition is not None and edition.status == E.SENDING:
            transition_edition(edition=edition, to_status=E.SENT)
    return True
