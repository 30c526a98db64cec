"""E-mail helpers: a development backend writing to var/outbox/, and the one way to send."""

import re
import uuid
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.utils import parsedate_to_datetime
from pathlib import Path

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.template import TemplateDoesNotExist
from django.template.loader import get_template, render_to_string
from django.utils import timezone


class OutboxBackend(BaseEmailBackend):
    """Development: each message is written as one .eml file in EMAIL_OUTBOX_DIR."""

    def send_messages(self, email_messages):
        outbox = Path(settings.EMAIL_OUTBOX_DIR)
        outbox.mkdir(parents=True, exist_ok=True)
        for message in email_messages:
            name = f"{datetime.now():%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:8]}.eml"
            (outbox / name).write_bytes(message.message().as_bytes())
        return len(email_messages)


_SAFE_NAME = re.compile(r"^[0-9]{8}-[0-9]{6}-[0-9a-f]{8}\.eml$")


def outbox_messages(limit: int = 200) -> list[dict]:
    """Messages in the development outbox, newest first."""
    outbox = Path(settings.EMAIL_OUTBOX_DIR)
    if not outbox.is_dir():
        return []
    files = sorted((p for p in outbox.iterdir() if _SAFE_NAME.match(p.name)), reverse=True)
    return [_summary(p) for p in files[:limit]]


def outbox_message(name: str) -> dict | None:
    if not _SAFE_NAME.match(name):
        return None
    path = Path(settings.EMAIL_OUTBOX_DIR) / name
    if not path.is_file():
        return None
    summary = _summary(path)
    msg = summary.pop("_message")
    body = msg.get_body(preferencelist=("plain",))
    summary["text"] = body.get_content() if body else ""
    return summary


def _summary(path: Path) -> dict:
    msg = message_from_bytes(path.read_bytes(), policy=policy.default)
    return {
        "name": path.name,
        "subject": str(msg.get("Subject", "")),
        "to": str(msg.get("To", "")),
        "date": _local_date(str(msg.get("Date", ""))),
        "_message": msg,
    }


def _local_date(header: str):
    """The message's Date header as an aware datetime (shown in Paris time, in French), or
    None when it is missing or unreadable."""
    try:
        value = parsedate_to_datetime(header)
    except (TypeError, ValueError):
        return None
    if value is None:
        return None
    return value if timezone.is_aware(value) else value.replace(tzinfo=UTC)


def build_email(
    *,
    to: list[str],
    subject: str,
    template: str,
    context: dict,
    headers=None,
    reply_to=None,
    attachments=(),
):
    """Render templates/emails/<template>.txt (and .html when it exists) into a message;
    ``attachments`` are MIME parts built by the purpose (an iCalendar invitation)."""
    context = {"SITE_URL": settings.SITE_URL, "SITE_NAME": settings.SITE_NAME, **context}
    # Subjects are one line: a newline would allow header injection.
    subject = " ".join(str(subject).split())
    text = render_to_string(f"emails/{template}.txt", context)
    message = EmailMultiAlternatives(
        subject=subject, body=text, to=to, headers=headers or {}, reply_to=reply_to or None
    )
    try:
        html_template = get_template(f"emails/{template}.html")
    except TemplateDoesNotExist:  # the HTML part is optional
        html_template = None
    if html_template:
        message.attach_alternative(html_template.render(context), "text/html")
    for part in attachments:
        message.attach(part)
    return message
