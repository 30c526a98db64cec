"""Handing editions over to the sending worker: the move to "sending" (a service) and the
task, enqueued after commit. It sits above ``services`` and ``tasks`` because the worker
itself closes editions and marks bouncing addresses through ``services``."""

from django.db import transaction
from django.utils import timezone

from . import services, tasks
from .models import Edition, EditionStatus


def start_sending(*, edition: Edition, actor=None, enqueue=True) -> Edition:
    """Freeze the recipients and hand over to the worker; an edition already being sent is
    handed over again (an interrupted send resumes; the claims make it harmless)."""
    with transaction.atomic():
        locked = Edition.objects.select_for_update().get(pk=edition.pk)
        if locked.status != EditionStatus.SENDING:
            locked = services.transition_edition(
                edition=locked, to_status=EditionStatus.SENDING, actor=actor
            )
        if enqueue:
            transaction.on_commit(lambda: tasks.send_edition.enqueue(edition_id=locked.pk))
    if locked is not edition:
        edition.refresh_from_db()
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
