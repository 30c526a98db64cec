from django.db import transaction

from . import emails
from .tasks import send_email


def queue_email(*, purpose: str, ids: dict) -> None:
    """Send the e-mail of ``purpose`` from a task once the current transaction has committed.

    The task carries the purpose and ``ids`` only (integers: ``{"user": 3}``); the worker
    rebuilds recipients, subject and text with the purpose's builder (``core.emails``) and
    issues or derives any secret then, so the task table never holds a copy of them."""
    emails.builder_for(purpose)  # an unknown purpose fails here, not later in the worker
    ids = emails.check_ids(ids)
    transaction.on_commit(lambda: send_email.enqueue(purpose=purpose, ids=ids))
