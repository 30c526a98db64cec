"""E-mails of the donations part, rebuilt by the worker from ids (see core.emails).

The donor's private link is derived again from the offer (services.offer_secret); statuses
and reasons come from the ``Transition`` row that the change wrote."""

from django.urls import reverse
from django.utils.translation import gettext as _

from ressourcerie.accounts.models import Role
from ressourcerie.core.emails import Email, purpose
from ressourcerie.core.models import Organisation

from . import donor, services
from .models import Allocation, DeviceRequest, Lot, LotStatus, Offer, RequestStatus, Transition


@purpose("donations.offer_confirm")
def offer_confirm(*, offer: int) -> Email | None:
    offer = Offer.objects.select_related("donor").filter(pk=offer).first()
    if offer is None or not offer.donor.email:
        return None
    secret = services.offer_secret(offer)
    return Email(
        to=[offer.donor.email],
        subject=_("Confirmez votre don d'ordinateurs"),
        template="donations_confirm_offer",
        context={
            "name": offer.donor.name,
            "confirm_url": reverse("donations:confirm", args=[secret]),
            "follow_url": reverse("donations:follow", args=[secret]),
            "summary": donor.summary(offer),
        },
    )


@purpose("donations.offer_changed")
def offer_changed(*, offer: int) -> Email | None:
    """The donor changed the offer: the new summary and the private link."""
    offer = Offer.objects.select_related("donor", "commune").filter(pk=offer).first()
    if offer is None or not offer.donor.email:
        return None
    return Email(
        to=[offer.donor.email],
        subject=_("Votre offre de don est modifiée"),
        template="donations_offer_changed",
        context={
            "summary": donor.summary(offer),
            "follow_url": reverse("donations:follow", args=[services.offer_secret(offer)]),
        },
    )


@purpose("donations.new_offer")
def new_offer(*, offer: int, organisation: int) -> Email | None:
    """Refurbishers of one organisation near a confirmed offer (never the donor's contacts)."""
    offer = Offer.objects.select_related("commune").filter(pk=offer).first()
    organisation = Organisation.objects.filter(pk=organisation).first()
    if offer is None or organisation is None:
        return None
    recipients = services._emails_of(organisation, Role.REFURBISHER)
    if not recipients:
        return None
    return Email(
        to=recipients,
        subject=_("Un don d'ordinateurs est proposé près de chez vous"),
        template="donations_new_offer",
        context={
            "commune": str(offer.commune.name),
            "lots": [str(lot) for lot in offer.lots.all()],
            "url": reverse("donations:offer", args=[offer.pk]),
        },
    )


@purpose("donations.lot_update")
def lot_update(*, transition: int) -> Email | None:
    record = Transition.objects.filter(pk=transition, subject=Transition.Subject.LOT).first()
    lot = (
        Lot.objects.select_related("offer__donor", "offer__commune", "refurbisher__commune")
        .filter(pk=record.object_id)
        .first()
        if record is not None
        else None
    )
    if lot is None or not lot.offer.donor.email:
        return None
    status = LotStatus(record.to_status).label
    contact = donor.refurbisher_contact(lot.refurbisher) if lot.refurbisher else None
    accepted = record.to_status == LotStatus.ACCEPTED
    return Email(
        to=[lot.offer.donor.email],
        subject=_("Votre don d'ordinateurs : « %(status)s »") % {"status": status},
        template="donations_lot_update",
        context={
            "name": lot.offer.donor.name,
            "lot": str(lot),
            "status": status,
            # Who handles it and how to reach them, told when it accepts the lot.
            "contact": contact if accepted else None,
            "plan": donor.plan(lot.offer, contact) if accepted else "",
            "follow_url": reverse("donations:follow", args=[services.offer_secret(lot.offer)]),
        },
    )


@purpose("donations.request_update")
def request_update(*, transition: int) -> Email | None:
    record = Transition.objects.filter(pk=transition, subject=Transition.Subject.REQUEST).first()
    request_obj = (
        DeviceRequest.objects.filter(pk=record.object_id).first() if record is not None else None
    )
    if request_obj is None or not request_obj.contact_email:
        return None
    status = RequestStatus(record.to_status).label
    return Email(
        to=[request_obj.contact_email],
        subject=_("Votre demande d'ordinateurs : « %(status)s »") % {"status": status},
        template="donations_request_update",
        context={
            "request": str(request_obj),
            "status": status,
            "reason": record.reason if record.to_status == RequestStatus.CLOSED else "",
            "url": reverse("donations:my_requests"),
        },
    )


@purpose("donations.receipt")
def receipt(*, allocation: int) -> Email | None:
    allocation = Allocation.objects.select_related("lot__refurbisher").filter(pk=allocation).first()
    if allocation is None or allocation.lot.refurbisher is None:
        return None
    recipients = services._emails_of(allocation.lot.refurbisher, Role.REFURBISHER)
    if not recipients:
        return None
    return Email(
        to=recipients,
        subject=_("Réception confirmée par l'association"),
        template="donations_receipt",
        context={"lot": str(allocation.lot), "quantity": allocation.quantity},
    )
