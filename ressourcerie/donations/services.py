"""Every write of the donations part. Statuses change only in ``transition_lot`` and
``transition_request``; each change is recorded in ``Transition``."""

import secrets
from base64 import urlsafe_b64encode
from datetime import UTC, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ressourcerie.accounts.models import Membership, Role
from ressourcerie.core.errors import DomainError
from ressourcerie.core.permissions import can_moderate
from ressourcerie.core.services import queue_email
from ressourcerie.core.tokens import hash_token
from ressourcerie.core.workflow import Machine

from . import permissions, selectors
from .models import (
    MAX_RADIUS_KM,
    MIN_RADIUS_KM,
    ORGANISATION_DONORS,
    Allocation,
    AreaKind,
    DeviceRequest,
    Donor,
    Lot,
    LotStatus,
    Offer,
    RequestStatus,
    ServiceArea,
    Transition,
)
from .retention import erase_person, purge_contacts  # noqa: F401 (the part's writes, re-exported)

DOUBLE_SUBMISSION_SECONDS = 120
OFFER_SALT = "ressourcerie.donations.offer"


class DonationError(DomainError):
    """A refused action of the donations part; ``message`` is French and shown as it is."""


def offer_secret(offer: Offer) -> str:
    """The donor's private link token, derived from the offer's id, creation time and
    SECRET_KEY: the worker makes it again when it sends, so no task row keeps it."""
    created = offer.created_at.astimezone(UTC).strftime("%Y%m%d%H%M%S%f")
    digest = salted_hmac(OFFER_SALT, f"{offer.pk}:{created}", algorithm="sha256").digest()
    return urlsafe_b64encode(digest).decode().rstrip("=")


def _emails_of(organisation, role) -> list[str]:
    return list(
        Membership.objects.filter(organisation=organisation, role=role).values_list(
            "user__email", flat=True
        )
    )


def _record(subject, obj, from_status, to_status, actor, reason="") -> Transition:
    return Transition.objects.create(
        subject=subject,
        object_id=obj.pk,
        from_status=from_status,
        to_status=to_status,
        actor=Transition.actor_or_none(actor),
        reason=reason[:500],
    )


# --- offers ----------------------------------------------------------------------------------
@transaction.atomic
def create_offer(*, donor: dict, offer: dict, lots: list[dict], user=None) -> tuple[Offer, str]:
    """Record an unconfirmed offer and e-mail its confirmation link. Returns (offer, secret);
    the same submission twice within two minutes returns the first offer (secret "")."""
    if not lots:
        raise DonationError(_("Indiquez au moins un lot d'appareils."))
    if offer["available_from"] < timezone.localdate():
        raise DonationError(_("La date de disponibilité ne peut pas être dans le passé."))
    recent = Offer.objects.filter(
        donor__email__iexact=donor["email"],
        created_at__gte=timezone.now() - timedelta(seconds=DOUBLE_SUBMISSION_SECONDS),
    ).first()
    if recent is not None:
        return recent, ""
    if donor["kind"] not in ORGANISATION_DONORS:
        donor = {**donor, "siret": ""}  # only organisations have a SIRET
    donor_obj = Donor.objects.create(
        **donor, user=user if user is not None and user.is_authenticated else None
    )
    # Unusable until the real hash replaces it below (the secret needs the offer's id).
    placeholder = hash_token(secrets.token_urlsafe(32))
    offer_obj = Offer.objects.create(donor=donor_obj, token_hash=placeholder, **offer)
    secret = offer_secret(offer_obj)
    offer_obj.token_hash = hash_token(secret)
    offer_obj.save(update_fields=["token_hash"])
    for lot in lots:
        Lot.objects.create(offer=offer_obj, **lot)
    queue_email(purpose="donations.offer_confirm", ids={"offer": offer_obj.pk})
    return offer_obj, secret


@transaction.atomic
def confirm_offer(*, offer: Offer) -> bool:
    """Confirm once; the refurbishers whose service area holds it are told (without the
    donor's contacts)."""
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    if offer.confirmed_at:
        return False
    offer.confirmed_at = timezone.now()
    offer.save(update_fields=["confirmed_at", "updated_at"])
    for organisation in selectors.refurbishers_serving(offer.commune):
        if _emails_of(organisation, Role.REFURBISHER):
            queue_email(
                purpose="donations.new_offer",
                ids={"offer": offer.pk, "organisation": organisation.pk},
            )
    return True


def _changeable(offer: Offer) -> list[Lot]:
    """The offer's lots still open to the donor's changes; refuses once a lot is accepted."""
    lots = list(Lot.objects.select_for_update().filter(offer=offer))
    if any(lot.status not in (LotStatus.PROPOSED, LotStatus.WITHDRAWN) for lot in lots):
        raise DonationError(
            _(
                "Un atelier a déjà accepté une partie de ce don : pour un changement, "
                "contactez-le (ses coordonnées sont sur votre page de suivi)."
            )
        )
    proposed = [lot for lot in lots if lot.status == LotStatus.PROPOSED]
    if not proposed:
        raise DonationError(_("Cette offre est retirée : il n'y a plus rien à changer."))
    return proposed


@transaction.atomic
def update_offer(*, offer: Offer, data: dict, quantities: dict[int, int]) -> Offer:
    """The donor (through the private link) changes an offer that nobody accepted yet:
    logistics, address, dates, notes, phone and each lot's quantity. The donor is e-mailed
    the new summary."""
    offer = Offer.objects.select_for_update().select_related("donor").get(pk=offer.pk)
    lots = _changeable(offer)
    if data["available_from"] < timezone.localdate():
        raise DonationError(_("La date de disponibilité ne peut pas être dans le passé."))
    for name in ("logistics", "address", "available_from", "available_until", "notes"):
        setattr(offer, name, data[name])
    offer.save()
    if data.get("phone") is not None and data["phone"] != offer.donor.phone:
        offer.donor.phone = data["phone"]
        offer.donor.save(update_fields=["phone", "updated_at"])
    for lot in lots:
        quantity = quantities.get(lot.pk)
        if quantity and quantity != lot.quantity:
            lot.quantity = quantity
            lot.save(update_fields=["quantity", "updated_at"])
    queue_email(purpose="donations.offer_changed", ids={"offer": offer.pk})
    return offer


@transaction.atomic
def withdraw_offer(*, offer: Offer, reason: str = "") -> list[Lot]:
    """The donor withdraws every lot nobody accepted yet (``LOT_MACHINE``: proposé →
    retiré); each withdrawal is recorded and e-mailed like any other move."""
    lots = _changeable(Offer.objects.select_for_update().get(pk=offer.pk))
    return [
        transition_lot(
            lot=lot, to_status=LotStatus.WITHDRAWN, actor=None, reason=reason, by_donor=True
        )
        for lot in lots
    ]


# --- service areas ---------------------------------------------------------------------------
@transaction.atomic
def set_service_area(*, organisation, actor, kind: str, radius_km: int | None = None):
    """A refurbisher declares where it takes donations (what it sees and may accept)."""
    if not (
        can_moderate(actor)
        or permissions.refurbisher_organisations(actor).filter(pk=organisation.pk).exists()
    ):
        raise DonationError(
            _("Seuls les reconditionneurs de cette structure peuvent changer sa zone.")
        )
    if kind not in AreaKind.values:
        raise DonationError(_("Choisissez un rayon ou les départements de votre atelier."))
    if kind == AreaKind.RADIUS and (
        radius_km is None or not MIN_RADIUS_KM <= radius_km <= MAX_RADIUS_KM
    ):
        raise DonationError(
            _("Indiquez une distance entre %(min)s et %(max)s km, en nombre entier.")
            % {"min": MIN_RADIUS_KM, "max": MAX_RADIUS_KM}
        )
    if kind == AreaKind.DEPARTMENTS and not selectors.service_area(organisation).departments:
        raise DonationError(
            _(
                "Nous ne connaissons pas le département de votre atelier : indiquez la "
                "commune de votre structure."
            )
        )
    # get_or_create survives two first saves at once; the lock orders later ones.
    area, _created = ServiceArea.objects.get_or_create(organisation=organisation)
    area = ServiceArea.objects.select_for_update().get(pk=area.pk)
    if kind == AreaKind.RADIUS:
        area.radius_km = radius_km
    area.kind = kind
    area.updated_by = actor
    area.save()
    return area


# --- lots ------------------------------------------------------------------------------------
LOT_MACHINE = Machine(
    states=LotStatus,
    moves={
        # The donor withdraws a lot nobody has accepted yet (through the private link).
        LotStatus.PROPOSED: {LotStatus.ACCEPTED, LotStatus.WITHDRAWN},
        LotStatus.ACCEPTED: {LotStatus.COLLECTED},
        LotStatus.COLLECTED: {LotStatus.ERASED},
        LotStatus.ERASED: {LotStatus.REFURBISHED, LotStatus.RECYCLED},
        LotStatus.REFURBISHED: {LotStatus.ALLOCATED},
        LotStatus.ALLOCATED: {LotStatus.DELIVERED},
        LotStatus.RECYCLED: set(),
        LotStatus.DELIVERED: set(),
        LotStatus.WITHDRAWN: set(),
    },
    error=DonationError,
    noun=gettext_lazy("Ce lot"),
)


@transaction.atomic
def transition_lot(
    *,
    lot: Lot,
    to_status: str,
    actor,
    reason: str = "",
    refurbisher=None,
    erasure_method: str = "",
    erasure_certificate: str = "",
    reused: int | None = None,
    recycled: int | None = None,
    by_donor: bool = False,
) -> Lot:
    """The lot's state machine: checks order, rights and data, then records the change.
    ``by_donor``: the caller proved the donor's private link (withdrawing)."""
    lot = (
        Lot.objects.select_for_update()
        .select_related("offer__donor", "offer__commune")
        .get(pk=lot.pk)
    )
    LOT_MACHINE.check(lot.status, to_status)
    if to_status == LotStatus.ACCEPTED:
        if refurbisher is None or not (
            can_moderate(actor) or refurbisher in permissions.refurbisher_organisations(actor)
        ):
            raise DonationError(_("Seul un reconditionneur peut accepter ce lot."))
        if lot.offer.confirmed_at is None:
            raise DonationError(_("Le donateur n'a pas encore confirmé son offre."))
        area = selectors.service_area(refurbisher)
        # Accepting opens the donor's contacts: only inside the declared area.
        if not area.is_known:
            raise DonationError(
                _(
                    "Nous ne savons pas où se trouve l'atelier de « %(name)s » : indiquez la "
                    "commune de votre structure avant d'accepter un don."
                )
                % {"name": refurbisher.name}
            )
        if not area.covers(lot.offer.commune):
            raise DonationError(
                _(
                    "Ce don est hors de la zone d'intervention de « %(name)s », qui prend les "
                    "dons situés %(area)s. Si vous pouvez vous en occuper, élargissez cette "
                    "zone sur la page Atelier."
                )
                % {"name": refurbisher.name, "area": area.summary}
            )
        lot.refurbisher = refurbisher
    elif to_status == LotStatus.WITHDRAWN:
        if not by_donor:
            raise DonationError(_("Seul le donateur peut retirer son offre."))
    elif to_status == LotStatus.DELIVERED:
        allocations = list(lot.allocations.select_related("request__organisation"))
        if not (
            can_moderate(actor)
            or any(permissions.is_request_member(actor, a.request) for a in allocations)
        ):
            raise DonationError(_("Seule l'association destinataire confirme la réception."))
        if any(a.received_at is None for a in allocations):
            raise DonationError(_("Toutes les réceptions ne sont pas encore confirmées."))
    elif not permissions.handles_lot(actor, lot):
        raise DonationError(_("Ce lot est suivi par un autre reconditionneur."))
    if to_status == LotStatus.ALLOCATED and lot.available_count != 0:
        raise DonationError(_("Des appareils de ce lot restent à attribuer."))
    if to_status == LotStatus.ERASED:
        erasure_method, erasure_certificate = erasure_method.strip(), erasure_certificate.strip()
        if not erasure_method or not erasure_certificate:
            raise DonationError(
                _("Indiquez la méthode d'effacement et la référence du certificat.")
            )
        lot.erasure_method, lot.erasure_certificate = erasure_method, erasure_certificate
    if to_status in (LotStatus.REFURBISHED, LotStatus.RECYCLED):
        lot.reused_count, lot.recycled_count = _outcome(lot, to_status, reused, recycled)
    previous = lot.status
    lot.status = to_status
    lot.save()
    record = _record(Transition.Subject.LOT, lot, previous, to_status, actor, reason)
    _notify_donor(lot, record)
    return lot


def _outcome(lot: Lot, to_status: str, reused, recycled) -> tuple[int, int]:
    """The counts a reconditioned or recycled lot records; the status asked is never changed
    behind the person's back: counts that say the other outcome are refused."""
    if to_status == LotStatus.RECYCLED and reused is None and recycled is None:
        reused, recycled = 0, lot.quantity  # "Tout recycler": every device of the lot
    reused, recycled = reused or 0, recycled or 0
    if reused < 0 or recycled < 0 or reused + recycled != lot.quantity:
        raise DonationError(
            _("Reconditionnés et recyclés doivent faire %(n)s au total (la quantité du lot).")
            % {"n": lot.quantity}
        )
    if to_status == LotStatus.REFURBISHED and reused == 0:
        raise DonationError(
            _(
                "Aucun appareil n'est reconditionné : si tout le lot part en filière DEEE, "
                "choisissez « Tout recycler »."
            )
        )
    if to_status == LotStatus.RECYCLED and reused > 0:
        raise DonationError(
            _(
                "%(n)s appareil(s) sont reconditionnés : enregistrez le lot comme reconditionné "
                "(les appareils recyclés y sont comptés)."
            )
            % {"n": reused}
        )
    return reused, recycled


def _notify_donor(lot: Lot, record: Transition) -> None:
    if not lot.offer.donor.email:
        return
    queue_email(purpose="donations.lot_update", ids={"transition": record.pk})


def allowed_moves(obj: Lot | DeviceRequest, user) -> list:
    """The statuses ``user`` may move a lot or a request to now: what pages and the API offer
    (the machine's moves from its status, filtered by the person's rights)."""
    if isinstance(obj, Lot):
        moves, may_move = LOT_MACHINE.moves_from(obj.status), permissions.can_move_lot
    else:
        moves, may_move = REQUEST_MACHINE.moves_from(obj.status), permissions.can_move_request
    return [target for target in moves if may_move(user, obj, target)]


# --- requests --------------------------------------------------------------------------------
REQUEST_MACHINE = Machine(
    states=RequestStatus,
    moves={
        RequestStatus.SUBMITTED: {RequestStatus.VALIDATED, RequestStatus.CLOSED},
        RequestStatus.VALIDATED: {
            RequestStatus.PARTIAL,
            RequestStatus.SERVED,
            RequestStatus.CLOSED,
        },
        RequestStatus.PARTIAL: {RequestStatus.PARTIAL, RequestStatus.SERVED, RequestStatus.CLOSED},
        RequestStatus.SERVED: set(),
        RequestStatus.CLOSED: set(),
    },
    error=DonationError,
    noun=gettext_lazy("Cette demande"),
)


@transaction.atomic
def transition_request(*, request_obj: DeviceRequest, to_status: str, actor, reason: str = ""):
    """The request's state machine (validation by staff, closing by staff or its members;
    served states come from allocations)."""
    request_obj = DeviceRequest.objects.select_for_update().get(pk=request_obj.pk)
    REQUEST_MACHINE.check(request_obj.status, to_status)
    if not permissions.can_move_request(actor, request_obj, to_status):
        if to_status == RequestStatus.VALIDATED:
            raise DonationError(_("Seule l'équipe de la plateforme valide les demandes."))
        if to_status == RequestStatus.CLOSED:
            raise DonationError(_("Vous ne pouvez pas clore cette demande."))
        raise DonationError(_("Seul le reconditionneur d'un lot attribué sert cette demande."))
    previous = request_obj.status
    request_obj.status = to_status
    request_obj.save(update_fields=["status", "updated_at"])
    record = _record(Transition.Subject.REQUEST, request_obj, previous, to_status, actor, reason)
    queue_email(purpose="donations.request_update", ids={"transition": record.pk})
    return request_obj


@transaction.atomic
def create_request(*, organisation, user, data: dict) -> DeviceRequest:
    if organisation not in permissions.requesting_organisations(user):
        raise DonationError(_("Seuls les membres d'une association vérifiée peuvent demander."))
    duplicate = DeviceRequest.objects.filter(
        organisation=organisation,
        device_type=data["device_type"],
        quantity=data["quantity"],
        created_at__gte=timezone.now() - timedelta(seconds=DOUBLE_SUBMISSION_SECONDS),
    ).first()
    if duplicate:
        return duplicate
    request_obj = DeviceRequest.objects.create(organisation=organisation, created_by=user, **data)
    _record(Transition.Subject.REQUEST, request_obj, "", request_obj.status, user)
    return request_obj


# --- allocations -----------------------------------------------------------------------------
@transaction.atomic
def allocate(*, lot: Lot, request_obj: DeviceRequest, quantity: int, actor) -> Allocation:
    """A person confirms that ``quantity`` reconditioned devices of ``lot`` go to a request."""
    lot = Lot.objects.select_for_update().get(pk=lot.pk)
    request_obj = DeviceRequest.objects.select_for_update().get(pk=request_obj.pk)
    if not permissions.handles_lot(actor, lot):
        raise DonationError(_("Ce lot est suivi par un autre reconditionneur."))
    if lot.status != LotStatus.REFURBISHED:
        raise DonationError(_("Seul un lot reconditionné peut être attribué."))
    if request_obj.status not in (RequestStatus.VALIDATED, RequestStatus.PARTIAL):
        raise DonationError(_("Cette demande n'est pas ouverte aux attributions."))
    if request_obj.device_type != lot.device_type:
        raise DonationError(_("Le type d'appareil ne correspond pas à la demande."))
    remaining = request_obj.quantity - request_obj.allocated_count
    if quantity < 1 or quantity > lot.available_count or quantity > remaining:
        raise DonationError(
            _("Quantité impossible : %(available)s disponibles, %(remaining)s demandés.")
            % {"available": lot.available_count, "remaining": remaining}
        )
    if Allocation.objects.filter(lot=lot, request=request_obj).exists():
        raise DonationError(_("Ce lot est déjà attribué à cette demande."))
    allocation = Allocation.objects.create(
        lot=lot, request=request_obj, quantity=quantity, confirmed_by=actor
    )
    if lot.available_count == 0:
        transition_lot(lot=lot, to_status=LotStatus.ALLOCATED, actor=actor)
    served = request_obj.allocated_count >= request_obj.quantity
    transition_request(
        request_obj=request_obj,
        to_status=RequestStatus.SERVED if served else RequestStatus.PARTIAL,
        actor=actor,
        reason=_("%(n)s appareils attribués") % {"n": quantity},
    )
    return allocation


@transaction.atomic
def confirm_receipt(*, allocation: Allocation, actor) -> Allocation:
    """The association says it received the devices; the lot is "remis" once all are."""
    allocation = (
        Allocation.objects.select_for_update()
        .select_related("lot", "request")
        .get(pk=allocation.pk)
    )
    if not permissions.is_request_member(actor, allocation.request):
        raise DonationError(_("Seule l'association destinataire confirme la réception."))
    if allocation.received_at:
        raise DonationError(_("La réception a déjà été confirmée."))
    allocation.received_at = timezone.now()
    allocation.received_by = actor
    allocation.save(update_fields=["received_at", "received_by", "updated_at"])
    lot = allocation.lot
    if (
        lot.status == LotStatus.ALLOCATED
        and not lot.allocations.filter(received_at__isnull=True).exists()
    ):
        lot = transition_lot(lot=lot, to_status=LotStatus.DELIVERED, actor=actor)
    if lot.refurbisher_id and _emails_of(lot.refurbisher, Role.REFURBISHER):
        queue_email(purpose="donations.receipt", ids={"allocation": allocation.pk})
    return allocation
