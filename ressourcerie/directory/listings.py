"""Reads for "Mes fiches": the listings a person manages, with what needs their attention
(freshness, edits awaiting the team, messages relayed to them, claims still pending)."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Max, Prefetch, Q

from ressourcerie.core.models import ModerationStatus

from . import selectors
from .models import ContactMessage, Place, PlaceClaim, PlaceEdit

RECENT_MESSAGES = 3


@dataclass
class Listing:
    place: Place
    last_confirmed: datetime
    stale: bool
    pending_edits: list = field(default_factory=list)
    message_count: int = 0
    recent_messages: list = field(default_factory=list)


@dataclass
class Structure:
    organisation: object
    listings: list[Listing] = field(default_factory=list)


def pending_edit_by(place, user):
    """The oldest edit of ``place`` that ``user`` sent and the team has not decided yet."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        place.edits.filter(moderation_status=ModerationStatus.SUBMITTED, submitted_by=user)
        .order_by("created_at")
        .first()
    )


def managed_listings(user) -> list[Structure]:
    """The support structures ``user`` edits, each with its places (by name)."""
    structures = list(selectors.support_structures_edited_by(user).order_by("name"))
    if not structures:
        return []
    pending = PlaceEdit.objects.filter(moderation_status=ModerationStatus.SUBMITTED).order_by(
        "created_at"
    )
    places = (
        Place.objects.filter(organisation__in=structures)
        .annotate(
            message_count=Count("messages", distinct=True),
            last_message_at=Max("messages__created_at"),
        )
        .prefetch_related(Prefetch("edits", queryset=pending, to_attr="pending"))
        .order_by("name")
    )
    by_structure = {o.pk: Structure(organisation=o) for o in structures}
    with_messages = []
    for place in places:
        listing = Listing(
            place=place,
            last_confirmed=selectors.last_confirmed_at(place),
            stale=selectors.is_stale(place),
            pending_edits=place.pending,
            message_count=place.message_count,
        )
        by_structure[place.organisation_id].listings.append(listing)
        if place.message_count:
            with_messages.append(listing)
    for listing in with_messages:
        listing.recent_messages = list(
            ContactMessage.objects.filter(place=listing.place)
            .select_related("organisation")
            .order_by("-created_at")[:RECENT_MESSAGES]
        )
    return list(by_structure.values())


def pending_claims_of(user):
    """The person's own requests to manage a listing, still awaiting a decision."""
    return (
        PlaceClaim.objects.filter(user=user, status=PlaceClaim.Status.PENDING)
        .select_related("place")
        .order_by("-created_at")
    )


def managed_place_count(organisation) -> int:
    """How many published listings a structure manages (its page links to them)."""
    return Place.objects.filter(Q(organisation=organisation) & Q(is_published=True)).count()
