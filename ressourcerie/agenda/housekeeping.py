"""Writes about people rather than seats: the private feed's key, the day-before reminders,
the purge after the retention period and account erasure (split from services.py, which
holds the state machines)."""

from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ressourcerie.core.services import queue_email
from ressourcerie.core.tokens import new_token

from .models import (
    CalendarKey,
    Publication,
    Registration,
    RegistrationStatus,
    RegistrationTransition,
    Session,
    Status,
)

R = RegistrationStatus


# --- private feed, reminders, retention -----------------------------------------------------
@transaction.atomic
def new_calendar_key(*, user) -> str:
    """A new secret for the person's private feed; the previous one stops working."""
    raw, digest = new_token()
    CalendarKey.objects.update_or_create(user=user, defaults={"token_hash": digest})
    return raw


def revoke_calendar_key(*, user) -> None:
    CalendarKey.objects.filter(user=user).delete()


def send_reminders(*, now=None) -> int:
    """E-mail registered people of the sessions that start tomorrow (Paris), once each."""
    now = now or timezone.now()
    tomorrow = timezone.localdate(now) + timedelta(days=1)
    sent = 0
    sessions = Session.objects.filter(
        starts_at__date=tomorrow,
        event__publication=Publication.PUBLISHED,
    ).exclude(event__status=Status.CANCELLED)
    for session in sessions:
        due = Registration.objects.filter(
            Q(session=None) | Q(session=session), event_id=session.event_id, status=R.REGISTERED
        ).exclude(reminded_until__gte=session.starts_at)
        for registration in due:
            queue_email(
                purpose="agenda.reminder",
                ids={"registration": registration.pk, "session": session.pk},
            )
            registration.reminded_until = session.starts_at
            registration.save(update_fields=["reminded_until"])
            sent += 1
    return sent


def purge_participants(*, days: int, now=None) -> int:
    """Anonymise participants of events over for ``days``: counts and attendance stay."""
    limit = (now or timezone.now()) - timedelta(days=days)
    rows = Registration.objects.filter(event__ends_at__lt=limit, anonymised_at__isnull=True)
    ids = list(rows.values_list("pk", flat=True))
    with transaction.atomic():
        RegistrationTransition.objects.filter(registration_id__in=ids).update(actor=None)
        count = Registration.objects.filter(pk__in=ids).update(
            email="", name="", user=None, token_hash="", anonymised_at=timezone.now()
        )
    return count


@transaction.atomic
def forget_person(*, user) -> None:
    """Account erasure: the person's registrations lose every personal trace."""
    rows = Registration.objects.filter(Q(user=user) | Q(email__iexact=user.email))
    RegistrationTransition.objects.filter(registration__in=rows).update(actor=None)
    rows.update(email="", name="", user=None, token_hash="", anonymised_at=timezone.now())
    RegistrationTransition.objects.filter(actor=user).update(actor=None)
    CalendarKey.objects.filter(user=user).delete()
