from django.db import transaction

from .tasks import send_email


def queue_email(*, to: list[str] | str, subject: str, template: str, context: dict) -> None:
    """Send a templated e-mail from a task once the current transaction has committed."""
    recipients = [to] if isinstance(to, str) else list(to)
    transaction.on_commit(
        lambda: send_email.enqueue(
            to=recipients, subject=str(subject), template=template, context=context
        )
    )
