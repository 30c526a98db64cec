from django.utils.translation import gettext as _
from django_tasks import task

from ressourcerie.core.mail import build_email


@task()
def relay_contact_message(*, message_id: int) -> int:
    """E-mail one relay message to the members of the association; they answer the sender
    directly (Reply-To), and no address is ever shown on the site."""
    from ressourcerie.accounts.models import Membership

    from .models import ContactMessage

    contact = (
        ContactMessage.objects.select_related("testimonial__organisation", "sender")
        .filter(pk=message_id)
        .first()
    )
    if contact is None:
        return 0
    testimonial = contact.testimonial
    recipients = sorted(
        set(
            Membership.objects.filter(
                organisation=testimonial.organisation, user__is_active=True
            ).values_list("user__email", flat=True)
        )
    )
    if not recipients:
        return 0
    sender_name = contact.sender.display_name if contact.sender else ""
    message = build_email(
        to=recipients,
        subject=_("Une question sur votre témoignage « %(title)s »") % {"title": testimonial.title},
        template="testimonial_contact",
        context={
            "title": testimonial.title,
            "url": testimonial.get_absolute_url(),
            "sender_name": sender_name,
            "message": contact.message,
        },
        headers={"Reply-To": contact.sender_email},
    )
    return message.send()
