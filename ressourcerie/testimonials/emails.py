"""E-mails of the testimonials, rebuilt by the worker from ids (see core.emails)."""

from django.utils.translation import gettext as _

from ressourcerie.accounts.models import Membership
from ressourcerie.core.emails import Email, purpose

from .models import ContactMessage


@purpose("testimonials.contact")
def contact(*, message: int) -> Email | None:
    """A relay message to the members of the association; they answer the sender directly
    (Reply-To), and no address is ever shown on the site."""
    contact = (
        ContactMessage.objects.select_related("testimonial__organisation", "sender")
        .filter(pk=message)
        .first()
    )
    if contact is None:
        return None
    testimonial = contact.testimonial
    recipients = sorted(
        set(
            Membership.objects.filter(
                organisation=testimonial.organisation, user__is_active=True
            ).values_list("user__email", flat=True)
        )
    )
    if not recipients:
        return None
    return Email(
        to=recipients,
        subject=_("Une question sur votre témoignage « %(title)s »") % {"title": testimonial.title},
        template="testimonial_contact",
        context={
            "title": testimonial.title,
            "url": testimonial.get_absolute_url(),
            "sender_name": contact.sender.display_name if contact.sender else "",
            "message": contact.message,
        },
        reply_to=[contact.sender_email],
    )
