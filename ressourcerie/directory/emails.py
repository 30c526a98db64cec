"""E-mails of the directory, rebuilt by the worker from ids (see core.emails).

The claim code is issued when the e-mail is sent (only its hash is stored, its 24 hours
start then); the reminder's confirmation link is signed then; a relayed message is read from
its stored row."""

from django.urls import reverse
from django.utils.translation import gettext as _

from ressourcerie.core.emails import Email, purpose, site_url

from . import selectors, services
from .models import ContactMessage, Place, PlaceClaim


@purpose("directory.claim_code")
def claim_code(*, claim: int) -> Email | None:
    claim = PlaceClaim.objects.select_related("place", "user").filter(pk=claim).first()
    if claim is None or not claim.code_sent_to:
        return None
    code = services.issue_claim_code(claim)
    if code is None:
        return None
    place, user = claim.place, claim.user
    return Email(
        to=[claim.code_sent_to],
        subject=_("Code pour gérer la fiche « %(name)s » : %(code)s")
        % {"name": place.name[:80], "code": code},
        template="directory_claim_code",
        context={
            "place_name": place.name,
            "place_url": site_url(place.get_absolute_url()),
            "claimer": user.display_name or user.email,
            "code": code,
            "hours": int(services.CLAIM_CODE_VALIDITY.total_seconds() // 3600),
        },
    )


@purpose("directory.claim_decision")
def claim_decision(*, claim: int) -> Email | None:
    claim = (
        PlaceClaim.objects.select_related("place", "user", "organisation")
        .filter(pk=claim, status__in=[PlaceClaim.Status.APPROVED, PlaceClaim.Status.REJECTED])
        .first()
    )
    if claim is None or not claim.user.email:
        return None
    place = claim.place
    context = {
        "approved": claim.status == PlaceClaim.Status.APPROVED,
        "place_name": place.name,
        "place_url": site_url(place.get_absolute_url()),
        "reason": claim.reason if claim.status == PlaceClaim.Status.REJECTED else "",
    }
    if context["approved"]:
        subject = _("Vous gérez la fiche « %(name)s »") % {"name": place.name[:80]}
        context["edit_url"] = site_url(reverse("directory:edit", args=[place.slug]))
        context["organisation"] = claim.organisation.name if claim.organisation else ""
    else:
        subject = _("Votre demande de gestion de fiche n'a pas été acceptée")
    return Email(
        to=[claim.user.email],
        subject=subject,
        template="directory_claim_decision",
        context=context,
    )


@purpose("directory.reminder")
def reminder(*, place: int) -> Email | None:
    place = Place.objects.filter(pk=place).first()
    recipients = selectors.contact_emails(place) if place is not None else []
    if not recipients:
        return None
    token = services.reminder_token(place)
    return Email(
        to=recipients,
        subject=_("Votre fiche « %(name)s » est-elle toujours à jour ?")
        % {"name": place.name[:80]},
        template="directory_reminder",
        context={
            "place_name": place.name,
            "place_url": site_url(place.get_absolute_url()),
            "confirm_url": site_url(reverse("directory:confirm", args=[token])),
            "edit_url": site_url(reverse("directory:edit", args=[place.slug])),
            "claim_url": site_url(reverse("directory:claim", args=[place.slug])),
            "claimed": place.organisation_id is not None,
            "valid_days": services.REMINDER_LINK_VALIDITY.days,
        },
    )


@purpose("directory.contact_message")
def contact_message(*, message: int) -> Email | None:
    """An association's message relayed to the actor; answers go back to the sender."""
    message = (
        ContactMessage.objects.select_related("place", "sender", "organisation")
        .filter(pk=message)
        .first()
    )
    if message is None or message.organisation is None:
        return None
    recipients = selectors.contact_emails(message.place)
    if not recipients:
        return None
    sender, organisation = message.sender, message.organisation
    return Email(
        to=recipients,
        subject=_("%(association)s vous écrit : %(subject)s")
        % {"association": organisation.name[:80], "subject": message.subject},
        template="directory_contact_message",
        context={
            "place_name": message.place.name,
            "association": organisation.name,
            "association_url": site_url(organisation.get_absolute_url()),
            "sender_name": sender.display_name or sender.email,
            "sender_email": sender.email,
            "subject": message.subject,
            "body": message.body,
            "retention_months": services.CONTACT_RETENTION.days // 30,
        },
        reply_to=[sender.email],
    )
