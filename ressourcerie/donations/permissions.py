"""Who may see and do what in the donations part. Used by views, the API and templates."""

from ressourcerie.accounts.models import Role
from ressourcerie.accounts.permissions import has_role, organisations_for
from ressourcerie.core.models import OrganisationKind
from ressourcerie.core.permissions import can_moderate

from . import selectors
from .models import LotStatus, RequestStatus


def refurbisher_organisations(user):
    return organisations_for(user, role=Role.REFURBISHER)


def is_refurbisher(user) -> bool:
    return refurbisher_organisations(user).exists()


def handles_lot(user, lot) -> bool:
    """The refurbisher that accepted the lot (or staff)."""
    if can_moderate(user):
        return True
    return lot.refurbisher_id is not None and has_role(
        user, Role.REFURBISHER, organisation=lot.refurbisher
    )


def organisations_serving(user, offer) -> list:
    """The user's refurbisher structures whose service area holds the offer's commune."""
    if user is None or not user.is_authenticated:
        return []
    return [
        organisation
        for organisation in refurbisher_organisations(user).select_related("commune")
        if selectors.service_area(organisation).covers(offer.commune)
    ]


def accepting_organisations(user, offer):
    """The user's refurbisher structures that may accept the offer's lots: those serving it."""
    serving = organisations_serving(user, offer)
    return refurbisher_organisations(user).filter(pk__in=[o.pk for o in serving])


def workshop_organisation(organisations, structure_id: int | None):
    """The structure the workshop page shows: the one asked for if it is among the person's
    ``organisations``, else their first."""
    chosen = organisations.filter(pk=structure_id).first() if structure_id else None
    return chosen or organisations.first()


def can_see_offer(user, offer) -> bool:
    """Staff, a refurbisher handling one of its lots, or a refurbisher whose service area holds
    it while a lot is still proposed (to accept it; contacts stay hidden until then)."""
    if can_moderate(user):
        return True
    if not offer.confirmed_at:
        return False
    lots = list(offer.lots.all())
    if any(lot.refurbisher_id and handles_lot(user, lot) for lot in lots):
        return True
    if not any(lot.refurbisher_id is None for lot in lots):
        return False
    return bool(organisations_serving(user, offer))


def can_see_offer_contacts(user, offer) -> bool:
    """The donor's name, e-mail, phone and address: staff, and the refurbisher that accepted
    one of its lots (never before, never another one)."""
    if can_moderate(user):
        return True
    return any(lot.refurbisher_id and handles_lot(user, lot) for lot in offer.lots.all())


def requesting_organisations(user):
    """Verified associations in which the user is a member (they may ask for computers)."""
    return organisations_for(user, role=Role.MEMBER).filter(
        kind=OrganisationKind.ASSOCIATION, verified_at__isnull=False
    )


def is_request_member(user, request_obj) -> bool:
    return has_role(user, Role.MEMBER, organisation=request_obj.organisation)


def can_see_request(user, request_obj) -> bool:
    """Staff, its association's members, and refurbishers once staff has validated it."""
    if can_moderate(user) or is_request_member(user, request_obj):
        return True
    return request_obj.status != RequestStatus.SUBMITTED and is_refurbisher(user)


def can_see_request_contacts(user, request_obj) -> bool:
    """Staff, its members, and a refurbisher that allocated devices to it."""
    if can_moderate(user) or is_request_member(user, request_obj):
        return True
    return any(handles_lot(user, a.lot) for a in request_obj.allocations.select_related("lot"))


def can_validate_request(user) -> bool:
    return can_moderate(user)


def can_move_lot(user, lot, target) -> bool:
    """The person's right to move ``lot`` to ``target`` (``services.LOT_MACHINE`` says which
    moves exist): accepting is for a refurbisher serving the offer, delivery for the receiving
    association, every other step for the refurbisher handling the lot."""
    if target == LotStatus.ACCEPTED:
        return can_moderate(user) or bool(organisations_serving(user, lot.offer))
    if target == LotStatus.WITHDRAWN:
        return False  # only the donor, through the private link (services.withdraw_offer)
    if target == LotStatus.DELIVERED:
        return can_moderate(user) or any(
            is_request_member(user, a.request) for a in lot.allocations.select_related("request")
        )
    return handles_lot(user, lot)


def can_move_request(user, request_obj, target) -> bool:
    """The person's right to move a request to ``target``: validating is the team's, closing
    the team's or its association's; the served states follow allocations, made by the
    refurbisher of an allocated lot."""
    if target == RequestStatus.VALIDATED:
        return can_validate_request(user)
    if target == RequestStatus.CLOSED:
        return can_moderate(user) or is_request_member(user, request_obj)
    return can_moderate(user) or any(
        handles_lot(user, a.lot) for a in request_obj.allocations.select_related("lot")
    )
