from django.db import transaction

from .tasks import send_email


def queue_email(
    *,
    to: list[str] | str,
    subject: str,
    template: str,
    context: dict,
    reply_to: list[str] | str | None = None,
) -> None:
    """Send a templated e-mail from a task once the current transaction has committed.

    ``reply_to``: where answers go (e.g. a relayed message is answered to its sender)."""
    recipients = [to] if isinstance(to, str) else list(to)
    extra = {}
    if reply_to:
        extra["reply_to"] = [reply_to] if isinstance(reply_to, str) else list(reply_to)
    transaction.on_commit(
        lambda: send_email.enqueue(
            to=recipients, subject=str(subject), template=template, context=context, **extra
        )
    )
