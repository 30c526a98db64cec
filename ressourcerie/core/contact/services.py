"""The contact page: a message to the instance's team, relayed by e-mail.

The message is kept in ``ContactMessage`` only until the worker sends it (the task carries
its id, never the text or the address); the e-mail's Reply-To is the sender, so the team
answers from its own inbox."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import emails
from ..models import ContactMessage
from ..services import queue_email

LIFETIME = timedelta(days=1)


def team_address() -> str:
    """Where the instance's team reads its mail (``CONTACT_EMAIL``, else ``DEFAULT_FROM_EMAIL``)."""
    return getattr(settings, "CONTACT_EMAIL", "") or settings.DEFAULT_FROM_EMAIL


@transaction.atomic
def send_contact_message(*, name: str, email: str, subject: str, message: str) -> ContactMessage:
    """Keep the message until it is sent to the team, then queue its e-mail."""
    ContactMessage.objects.filter(created_at__lt=timezone.now() - LIFETIME).delete()
    row = ContactMessage.objects.create(
        name=name[:120], email=email, subject=subject[:150], message=message[:5000]
    )
    queue_email(purpose="core.contact_message", ids={"message": row.pk})
    return row


def delete_messages_from(*, email: str) -> int:
    """Erasure: messages not yet sent by this address."""
    deleted, _rows = ContactMessage.objects.filter(email__iexact=email.strip()).delete()
    return deleted


@emails.purpose("core.contact_message")
def contact_email(*, message: int) -> emails.Email | None:
    """The message, to the team; read and deleted as it is sent."""
    row = ContactMessage.objects.filter(pk=message).first()
    if row is None:
        return None
    ContactMessage.objects.filter(pk=message).delete()
    return emails.Email(
        to=[team_address()],
        subject=_("Message du site : %(subject)s") % {"subject": row.subject},
        template="contact_message",
        context={"name": row.name, "email": row.email, "text": row.message},
        reply_to=[row.email],
    )
