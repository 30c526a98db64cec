"""Writes of the directory (imports are in ``importers``): claims, edits, freshness, relay."""

import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.core import signing
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _

from ressourcerie.accounts.models import Role
from ressourcerie.accounts.services import InvalidConfirmationLink, grant_role
from ressourcerie.core import moderation
from ressourcerie.core.errors import DomainError
from ressourcerie.core.models import ModerationStatus, OrganisationKind
from ressourcerie.core.organisations.services import create_organisation
from ressourcerie.core.permissions import can_moderate
from ressourcerie.core.services import queue_email
from ressourcerie.core.tokens import read_signed
from ressourcerie.core.workflow import Machine, TransitionRecord

from . import permissions, selectors
from .models import (
    ContactMessage,
    Place,
    PlaceClaim,
    PlaceClaimTransition,
    PlaceEdit,
    PlaceReport,
)

logger = logging.getLogger("ressourcerie.directory")
audit = logging.getLogger("ressourcerie.audit")

CLAIM_CODE_VALIDITY = timedelta(hours=24)
CLAIM_CODE_MAX_ATTEMPTS = 5
REMINDER_SALT = "ressourcerie.directory.reminder"
REMINDER_LINK_VALIDITY = timedelta(days=30)
CONTACT_RETENTION = timedelta(days=365)

# What an editor may change on a listing (coordinates, commune and sources stay the team's).
EDITABLE_FIELDS = [
    "name",
    "summary",
    "description",
    "address",
    "address_complement",
    "phone",
    "emails",
    "websites",
    "booking_url",
    "opening_hours",
    "kinds",
    "guidasso_level",
    "association_support",
    "services",
    "publics",
    "specific_support",
    "fees",
    "access_modes",
    "support_modes",
    "accessibility_url",
    "accepted_equipment",
]


class DirectoryError(DomainError):
    """A refused action of the directory; ``message`` is French and shown as is."""


CLAIM_MACHINE = Machine(
    states=PlaceClaim.Status,
    moves={PlaceClaim.Status.PENDING: {PlaceClaim.Status.APPROVED, PlaceClaim.Status.REJECTED}},
    error=DirectoryError,
    noun=_("Cette demande"),
)


def log_import(*, report, by) -> None:
    """Staff actions on data are logged: who imported which file, with what outcome."""
    logger.info("import by %s: %s", getattr(by, "pk", None), report.summary())


# --- Error reports ------------------------------------------------------------------------


def report_place_error(*, place: Place, message: str, email: str = "", by=None) -> PlaceReport:
    """ "Signaler une erreur": the report goes to the shared moderation queue."""
    report = PlaceReport(place=place, message=message, email=email)
    return moderation.submit(obj=report, by=TransitionRecord.actor_or_none(by))


# --- Claims -----------------------------------------------------------------------------


def _claim_code_hash(claim_id: int, code: str) -> str:
    # Keyed with SECRET_KEY: a leaked table of 6-digit codes cannot be reversed.
    return salted_hmac("ressourcerie.directory.claim-code", f"{claim_id}:{code}").hexdigest()


def start_code_claim(*, place: Place, user, email: str, organisation=None) -> PlaceClaim:
    """E-mail a 6-digit code to an address the listing publishes; typing it proves access."""
    if email not in selectors.listing_emails(place):
        raise DirectoryError(_("Cette adresse n'est pas publiée sur la fiche."))
    with transaction.atomic():
        # Only the newest code counts.
        PlaceClaim.objects.filter(
            place=place, user=user, method=PlaceClaim.Method.CODE, status=PlaceClaim.Status.PENDING
        ).delete()
        # No code yet: the worker issues it when it sends the e-mail (issue_claim_code).
        claim = PlaceClaim.objects.create(
            place=place,
            user=user,
            organisation=organisation,
            method=PlaceClaim.Method.CODE,
            code_sent_to=email,
            code_expires_at=timezone.now() + CLAIM_CODE_VALIDITY,
        )
        queue_email(purpose="directory.claim_code", ids={"claim": claim.pk})
    return claim


def issue_claim_code(claim: PlaceClaim) -> str | None:
    """A new code for a pending code claim (only its hash is kept), valid from now on; None
    when the claim was decided or replaced meanwhile. Called when the e-mail is sent."""
    code = f"{secrets.randbelow(1_000_000):06d}"
    with transaction.atomic():
        updated = PlaceClaim.objects.filter(
            pk=claim.pk, method=PlaceClaim.Method.CODE, status=PlaceClaim.Status.PENDING
        ).update(
            code_hash=_claim_code_hash(claim.pk, code),
            code_expires_at=timezone.now() + CLAIM_CODE_VALIDITY,
        )
    return code if updated else None


def current_code_claim(*, place: Place, user) -> PlaceClaim | None:
    return (
        PlaceClaim.objects.filter(
            place=place, user=user, method=PlaceClaim.Method.CODE, status=PlaceClaim.Status.PENDING
        )
        .order_by("-created_at")
        .first()
    )


def verify_claim_code(*, claim: PlaceClaim, code: str) -> bool:
    """Approve the claim when ``code`` matches (single use, 5 attempts, 24 hours)."""
    with transaction.atomic():
        claim = PlaceClaim.objects.select_for_update().get(pk=claim.pk)
        if (
            claim.status != PlaceClaim.Status.PENDING
            or claim.method != PlaceClaim.Method.CODE
            or claim.attempts >= CLAIM_CODE_MAX_ATTEMPTS
            or claim.code_expires_at is None
            or claim.code_expires_at < timezone.now()
        ):
            return False
        claim.attempts += 1
        claim.save(update_fields=["attempts", "updated_at"])
        if not constant_time_compare(claim.code_hash, _claim_code_hash(claim.pk, code.strip())):
            return False
        transition_claim(
            claim=claim, to_status=PlaceClaim.Status.APPROVED, by=claim.user, code_proven=True
        )
    return True


def request_staff_claim(*, place: Place, user, message: str, organisation=None) -> PlaceClaim:
    """Ask the team to hand the listing over (no published address, or no access to it)."""
    with transaction.atomic():
        claim = PlaceClaim.objects.filter(
            place=place, user=user, method=PlaceClaim.Method.STAFF, status=PlaceClaim.Status.PENDING
        ).first()
        if claim is None:
            claim = PlaceClaim(place=place, user=user, method=PlaceClaim.Method.STAFF)
        claim.message = message.strip()
        claim.organisation = organisation
        claim.save()
    return claim


def allowed_moves(claim: PlaceClaim, user) -> list:
    """The statuses ``user`` may move ``claim`` to (what the team's page offers)."""
    return [
        status
        for status in CLAIM_MACHINE.moves_from(claim.status)
        if permissions.can_move_claim(user, claim, status)
    ]


def transition_claim(
    *, claim: PlaceClaim, to_status: str, by, reason: str = "", code_proven: bool = False
) -> PlaceClaim:
    """The one place a claim's status changes: the team's decision, or the claimer's own
    approval by the e-mailed code (``code_proven``). Locks, checks the move and the right,
    writes the history row; the claimer is told by e-mail after commit."""
    reason = (reason or "").strip()
    with transaction.atomic():
        claim = PlaceClaim.objects.select_for_update().get(pk=claim.pk)
        CLAIM_MACHINE.check(claim.status, to_status)
        if not permissions.can_move_claim(by, claim, to_status, code_proven=code_proven):
            raise DirectoryError(_("Seule l'équipe de la plateforme peut décider."))
        if to_status == PlaceClaim.Status.REJECTED and not reason:
            raise DirectoryError(_("Indiquez un motif : il sera envoyé à la personne."))
        from_status = claim.status
        if to_status == PlaceClaim.Status.APPROVED:
            _hand_over_place(claim=claim, by=None if code_proven else by)
        else:
            claim.reason = reason
        claim.status = to_status
        claim.decided_at = timezone.now()
        # The team's member who decided; a code approval is nobody's decision.
        claim.decided_by = None if code_proven else PlaceClaimTransition.actor_or_none(by)
        claim.save(
            update_fields=[
                "status",
                "organisation",
                "reason",
                "decided_at",
                "decided_by",
                "updated_at",
            ]
        )
        PlaceClaimTransition.objects.create(
            claim=claim,
            from_status=from_status,
            to_status=to_status,
            actor=PlaceClaimTransition.actor_or_none(by),
            reason=(reason or (_("Code reçu à l'adresse publiée.") if code_proven else ""))[:500],
        )
        queue_email(purpose="directory.claim_decision", ids={"claim": claim.pk})
        audit.info(
            "place claim %s: claim=%s place=%s by=%s",
            claim.status,
            claim.pk,
            claim.place_id,
            getattr(by, "pk", None),
        )
    return claim


def _support_structure_for(claim: PlaceClaim):
    """The claimer's support structure: the chosen one if they still edit it, else their
    first one, else a new one named after the place (they become its editor)."""
    theirs = selectors.support_structures_edited_by(claim.user)
    if claim.organisation_id and theirs.filter(pk=claim.organisation_id).exists():
        return claim.organisation
    existing = theirs.order_by("pk").first()
    if existing is not None:
        return existing
    place = claim.place
    return create_organisation(
        creator=claim.user,
        data={
            "name": place.name[:200],
            "commune": place.commune,
            "website": (place.websites or [""])[0][:200],
            "description": place.summary,
        },
        kind=OrganisationKind.SUPPORT_STRUCTURE,
    )


def _hand_over_place(*, claim: PlaceClaim, by) -> None:
    """Approval: the place joins the claimer's support structure, of which they become an
    editor (a place already managed keeps its structure: the newcomer joins it)."""
    place = Place.objects.select_for_update().get(pk=claim.place_id)
    claim.place = place
    organisation = place.organisation
    if organisation is None:
        organisation = _support_structure_for(claim)
        place.organisation = organisation
        place.save(update_fields=["organisation", "updated_at"])
    grant_role(user=claim.user, role=Role.EDITOR, organisation=organisation, by=by)
    claim.organisation = organisation


# --- Edits (re-moderated) ---------------------------------------------------------------


def _value(place: Place, field: str):
    return getattr(place, field)


def propose_place_edit(*, place: Place, user, data: dict) -> PlaceEdit:
    """Store the changed fields as a PlaceEdit in the moderation queue; the team's own edits
    are published at once. Applied to the place by ``apply_place_edit`` on publication."""
    changes, previous = {}, {}
    for field in EDITABLE_FIELDS:
        if field not in data:
            continue
        new, old = data[field], _value(place, field)
        if new != old:
            changes[field] = new
            previous[field] = old
    if not changes:
        raise DirectoryError(_("Vous n'avez rien modifié."))
    with transaction.atomic():
        edit = moderation.submit(
            obj=PlaceEdit(place=place, changes=changes, previous=previous), by=user
        )
        if can_moderate(user):
            moderation.transition(obj=edit, to_status=ModerationStatus.PUBLISHED, actor=user)
    return edit


def apply_place_edit(*, obj: PlaceEdit, actor) -> None:
    """Post-publish hook (registered with the moderation queue): write the changes."""
    place = Place.objects.select_for_update().get(pk=obj.place_id)
    for field, value in obj.changes.items():
        if field in EDITABLE_FIELDS:
            setattr(place, field, value)
    # The structure wrote it and the team checked it: the listing is current.
    place.confirmed_at = timezone.now()
    place.save()
    audit.info("place edit applied: edit=%s place=%s by=%s", obj.pk, place.pk, actor.pk)


# --- Freshness --------------------------------------------------------------------------


def reminder_token(place: Place) -> str:
    return signing.dumps({"p": place.pk}, salt=REMINDER_SALT)


def place_for_reminder_token(token: str) -> Place:
    """The place a "toujours à jour" link was sent for; otherwise the platform's one
    signed-link error, ``accounts.services.InvalidConfirmationLink`` (``expired`` or not)."""
    data = read_signed(
        token,
        salt=REMINDER_SALT,
        max_age=REMINDER_LINK_VALIDITY.total_seconds(),
        invalid=InvalidConfirmationLink,
    )
    if not isinstance(data, dict) or not isinstance(data.get("p"), int):
        raise InvalidConfirmationLink()
    place = selectors.published_places().filter(pk=data["p"]).first()
    if place is None:
        raise InvalidConfirmationLink()
    return place


def confirm_place(*, place: Place, by=None) -> None:
    """Someone responsible says the listing is current (reminder link, editor or team)."""
    now = timezone.now()
    Place.objects.filter(pk=place.pk).update(confirmed_at=now)
    place.confirmed_at = now
    logger.info("place confirmed: place=%s by=%s", place.pk, getattr(by, "pk", None))


@dataclass
class ReminderReport:
    due: int = 0
    sent: int = 0
    without_address: int = 0


def send_place_reminders(*, now=None, batch_size: int = 200, dry_run: bool = False):
    """Ask the contact of each listing unconfirmed for 6 months to confirm it (idempotent:
    ``reminder_sent_at`` is set in the same transaction as the e-mail is queued)."""
    now = now or timezone.now()
    cutoff = now - selectors.REMIND_EVERY
    report = ReminderReport()
    due = list(selectors.places_due_for_reminder(now).select_related("organisation")[:batch_size])
    report.due = len(due)
    for place in due:
        recipients = selectors.contact_emails(place)
        if dry_run:
            report.sent += bool(recipients)
            report.without_address += not recipients
            continue
        with transaction.atomic():
            # Claimed by a concurrent run already? Then it is theirs to send.
            taken = (
                Place.objects.filter(pk=place.pk)
                .filter(Q(reminder_sent_at__isnull=True) | Q(reminder_sent_at__lt=cutoff))
                .update(reminder_sent_at=now)
            )
            if not taken:
                continue
            if not recipients:
                # Marked anyway so that places without address do not fill every batch.
                report.without_address += 1
                continue
            # The signed link and the addresses are read again when the worker sends.
            queue_email(purpose="directory.reminder", ids={"place": place.pk})
            report.sent += 1
    return report


# --- Mise en relation ---------------------------------------------------------------------


def send_contact_message(
    *, place: Place, sender, organisation, subject: str, body: str
) -> ContactMessage:
    """Relay a message from an association to the actor by e-mail, answers going straight
    back to the sender (Reply-To); the actor's address is never shown to the sender."""
    recipients = selectors.contact_emails(place)
    if not recipients:
        raise DirectoryError(_("Ce lieu n'a pas d'adresse e-mail : appelez-le ou passez le voir."))
    if not permissions.associations_writing_as(sender).filter(pk=organisation.pk).exists():
        raise DirectoryError(_("Vous n'êtes pas membre de cette association."))
    with transaction.atomic():
        message = ContactMessage.objects.create(
            place=place,
            sender=sender,
            organisation=organisation,
            subject=subject.strip(),
            body=body.strip(),
        )
        queue_email(purpose="directory.contact_message", ids={"message": message.pk})
    return message


def purge_contact_messages(*, now=None) -> int:
    """Delete relayed messages older than 12 months (the privacy page promises it)."""
    cutoff = (now or timezone.now()) - CONTACT_RETENTION
    deleted, _rows = ContactMessage.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def erase_person(*, user) -> None:
    """Erasure of an account. Reports and claims are the person's words, and relayed messages
    their correspondence: deleted. Edits of a listing are the structure's public details:
    published ones are part of the listing, pending ones stay for the team; both lose
    their author (Moderated.submitted_by is SET_NULL)."""
    PlaceReport.objects.filter(Q(submitted_by=user) | Q(email__iexact=user.email)).delete()
    PlaceClaim.objects.filter(user=user).delete()
    ContactMessage.objects.filter(sender=user).delete()
