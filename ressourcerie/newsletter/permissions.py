"""Who may do what in the newsletter. Used by services, views and templates alike."""

from ressourcerie.core.permissions import can_moderate

from .models import EditionStatus


def can_manage_editions(user) -> bool:
    """Write, schedule and send editions, see the subscriber figures: the platform team."""
    return can_moderate(user)


def can_move_edition(actor, target) -> bool:
    """The team moves editions by hand; the system (``actor`` None: the cron, the worker)
    starts due editions and closes finished ones. Only the worker says an edition is sent."""
    if actor is None:
        return target in (EditionStatus.SENDING, EditionStatus.SENT)
    return target != EditionStatus.SENT and can_manage_editions(actor)


def can_change_subscription(actor, subscriber) -> bool:
    """A subscription is changed by its owner — proven by a signed link (``actor`` None, the
    link is the proof) or by a signed-in account with the same address — by the team, or
    by the system (the sender marking a bouncing address)."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return True
    return actor.email.lower() == subscriber.email.lower() or can_moderate(actor)
