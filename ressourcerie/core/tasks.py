import logging
import smtplib

from django_tasks import task

from . import emails
from .mail import build_email

logger = logging.getLogger(__name__)


class EmailNotSent(Exception):
    """The mail server refused or failed; says which e-mail and why, without addresses."""


def _without_addresses(exc: Exception) -> str:
    # smtplib's exceptions quote the recipients and the server's answer (which names them):
    # the failed task row and the log keep the kind of failure and the SMTP code only.
    code = getattr(exc, "smtp_code", None)
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = sorted({answer[0] for answer in exc.recipients.values()})
        return f"{type(exc).__name__} {codes}"
    return f"{type(exc).__name__}" + (f" {code}" if code else "")


@task()
def send_email(*, purpose: str, ids: dict) -> int:
    """Build the e-mail of ``purpose`` from the current state of its objects, and send it.

    Returns the number of messages sent: 0 when the objects are gone (deleted after the
    e-mail was queued), which is not an error."""
    message = emails.build(purpose, ids)
    if message is None or not message.to:
        logger.info("e-mail %s %s not sent: nothing to send any more", purpose, ids)
        return 0
    try:
        return build_email(
            to=message.to,
            subject=str(message.subject),
            template=message.template,
            context=message.context,
            reply_to=message.reply_to,
            attachments=message.attachments,
        ).send()
    except (smtplib.SMTPException, OSError) as exc:
        reason = _without_addresses(exc)
        logger.warning("e-mail %s %s not sent: %s", purpose, ids, reason)
        # "from None": the stored traceback must not quote the original exception.
        raise EmailNotSent(f"{purpose} {ids}: {reason}") from None
