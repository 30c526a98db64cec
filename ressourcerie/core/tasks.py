import logging

from django_tasks import task

from . import emails
from .mail import build_email

logger = logging.getLogger(__name__)


@task()
def send_email(*, purpose: str, ids: dict) -> int:
    """Build the e-mail of ``purpose`` from the current state of its objects, and send it.

    Returns the number of messages sent: 0 when the objects are gone (deleted after the
    e-mail was queued), which is not an error."""
    message = emails.build(purpose, ids)
    if message is None:
        logger.info("e-mail %s %s not sent: nothing to send any more", purpose, ids)
        return 0
    return build_email(
        to=message.to,
        subject=str(message.subject),
        template=message.template,
        context=message.context,
        reply_to=message.reply_to,
    ).send()
