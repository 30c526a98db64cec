"""Writes about organisations: creation, edits, verification, corrections.

Invitations (an ``accounts.Invitation`` makes a membership) are written by
``accounts.invitations``: core imports no other app. The creator's first membership is
written through the organisation's reverse accessor (``organisation.memberships``).
"""

import logging
import secrets

from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from .. import moderation
from ..errors import DomainError
from ..models import (
    ModerationStatus,
    Organisation,
    OrganisationChange,
    OrganisationCorrection,
    OrganisationKind,
)
from ..models.organisations import VERIFIED_FIELDS
from ..permissions import can_moderate, can_propose_verified_change
from ..roles import Role
from . import verification
from .selectors import organisation_with_identifier

audit = logging.getLogger("ressourcerie.audit")

# Slugs that would shadow the fixed addresses under /associations/.
RESERVED_SLUGS = {"inscrire", "invitation"}

ORGANISATION_FIELDS = [
    "name",
    "rna",
    "siren",
    "siret",
    "commune",
    "sector",
    "members_band",
    "budget_band",
    "description",
    "website",
    "public_email",
]


class OrganisationError(DomainError):
    """A refused action about an organisation or its members (French ``message``)."""


def unique_slug(name: str, *, exclude_pk=None) -> str:
    base = slugify(name)[:200].strip("-") or "association"
    queryset = Organisation.objects.all()
    if exclude_pk is not None:
        queryset = queryset.exclude(pk=exclude_pk)
    taken = set(queryset.filter(slug__startswith=base).values_list("slug", flat=True))
    taken |= RESERVED_SLUGS
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def create_organisation(
    *, creator, data: dict, kind: str = OrganisationKind.ASSOCIATION
) -> Organisation:
    """Register an organisation; its creator becomes its first member (or editor)."""
    values = {f: data.get(f) or ("" if f != "commune" else None) for f in ORGANISATION_FIELDS}
    for attempt in range(3):
        try:
            with transaction.atomic():
                organisation = Organisation.objects.create(
                    kind=kind,
                    slug=unique_slug(values["name"])
                    if attempt == 0
                    else f"{unique_slug(values['name'])}-{secrets.token_hex(2)}",
                    created_by=creator,
                    **values,
                )
                organisation.memberships.create(user=creator, role=member_role(organisation))
                return organisation
        except IntegrityError:
            # A concurrent creation took the slug (or an identifier: let the caller see it).
            if _identifier_taken(values):
                raise OrganisationError(
                    _("Une organisation avec ce numéro vient d'être inscrite.")
                ) from None
    raise OrganisationError(_("L'inscription n'a pas pu aboutir, réessayez."))


def _identifier_taken(values) -> bool:
    return (
        organisation_with_identifier(
            rna=values["rna"], siren=values["siren"], siret=values["siret"]
        )
        is not None
    )


def member_role(organisation) -> str:
    """The role its creator and its invited members get: editor of a support structure,
    member of an association."""
    if organisation.kind == OrganisationKind.SUPPORT_STRUCTURE:
        return Role.EDITOR
    return Role.MEMBER


VERIFIED_CHANGE_REFUSED = _(
    "Seuls les responsables de l'association (membres ou éditeurs) peuvent demander à changer "
    "le nom, les numéros RNA, SIREN ou SIRET, le site web ou l'adresse de contact d'une "
    "organisation vérifiée. Demandez-le à l'un d'eux, ou signalez l'erreur à l'équipe avec "
    "« Signaler une erreur » sur la page de l'organisation."
)


def held_for_moderation(*, organisation: Organisation, actor, data: dict) -> dict:
    """The values of ``data`` that must wait for the team: changes of the name, identifiers
    or contact addresses of a verified organisation, unless the team itself makes them."""
    if not organisation.is_verified or can_moderate(actor):
        return {}
    return {
        field: data[field] or ""
        for field in VERIFIED_FIELDS
        if field in data and (data[field] or "") != (getattr(organisation, field) or "")
    }


@transaction.atomic
def update_organisation(
    *, organisation: Organisation, actor, data: dict
) -> OrganisationChange | None:
    """Apply an edit from a member or the team; on a verified organisation, its name,
    identifiers and contact addresses go to the moderation queue (the change is returned)."""
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    held = held_for_moderation(organisation=organisation, actor=actor, data=data)
    if held and not can_propose_verified_change(actor, organisation):
        raise OrganisationError(VERIFIED_CHANGE_REFUSED)
    for field in ORGANISATION_FIELDS:
        if field in data and field not in held:
            value = data[field]
            setattr(organisation, field, value if value is not None or field == "commune" else "")
    organisation.save()
    if organisation.verification_status == verification.V.INCOMPLETE and not can_moderate(actor):
        # A member completed what the team asked for: back in the team's queue.
        verification.transition_verification(
            organisation=organisation,
            to_status=verification.V.PENDING,
            actor=actor,
            reason=_("Page complétée par un membre."),
        )
    if not held:
        return None
    return propose_organisation_change(organisation=organisation, actor=actor, changes=held)


def propose_organisation_change(
    *, organisation: Organisation, actor, changes: dict
) -> OrganisationChange:
    """Put a change of a verified organisation's name, identifiers or contact addresses in
    the moderation queue; the public page and e-mails keep the verified values meanwhile."""
    if not can_propose_verified_change(actor, organisation):
        raise OrganisationError(VERIFIED_CHANGE_REFUSED)
    changes = {f: v or "" for f, v in changes.items() if f in VERIFIED_FIELDS}
    if not changes:
        raise OrganisationError(_("Vous n'avez rien modifié."))
    with transaction.atomic():
        change = OrganisationChange(
            organisation=organisation,
            changes=changes,
            previous={f: getattr(organisation, f) or "" for f in changes},
        )
        return moderation.submit(obj=change, by=actor)


def pending_changes(organisation: Organisation):
    """Changes of this organisation waiting for the team, oldest first."""
    return organisation.changes.filter(moderation_status=ModerationStatus.SUBMITTED).order_by(
        "submitted_at", "pk"
    )


def apply_organisation_change(*, obj: OrganisationChange, actor) -> None:
    """Post-publish hook (registered with the moderation queue): write the accepted values.
    The organisation stays verified: the team checked the new values before accepting."""
    organisation = Organisation.objects.select_for_update().get(pk=obj.organisation_id)
    for field, value in obj.changes.items():
        if field in VERIFIED_FIELDS:
            setattr(organisation, field, value)
    # Another organisation may have registered the number since it was proposed.
    other = None
    if any(f in obj.changes for f in ("rna", "siren", "siret")):
        other = organisation_with_identifier(
            rna=organisation.rna,
            siren=organisation.siren,
            siret=organisation.siret,
            exclude_pk=organisation.pk,
        )
    if other is not None:
        raise moderation.ModerationError(
            _(
                "Ce numéro est déjà celui de « %(name)s » : refusez ce changement en "
                "l'expliquant à son auteur."
            )
            % {"name": other.name}
        )
    try:
        with transaction.atomic():
            organisation.save()
    except IntegrityError:  # registered at the same moment by someone else
        raise moderation.ModerationError(
            _("Ce numéro vient d'être pris par une autre organisation : refusez ce changement.")
        ) from None
    audit.info(
        "organisation change applied: change=%s organisation=%s by=%s fields=%s",
        obj.pk,
        organisation.pk,
        getattr(actor, "pk", None),
        ",".join(obj.changes),
    )


def verify_organisation(*, organisation: Organisation, actor, reason: str = "") -> Organisation:
    """The team checked the organisation exists (RNA/SIRENE): through the verification
    machine, which records who and when and e-mails its members."""
    return verification.transition_verification(
        organisation=organisation, to_status=verification.V.VERIFIED, actor=actor, reason=reason
    )


def report_correction(*, organisation: Organisation, user, message: str) -> OrganisationCorrection:
    """Someone reports an error on an organisation page; it enters the moderation queue."""
    correction = OrganisationCorrection(organisation=organisation, message=message[:2000])
    return moderation.submit(obj=correction, by=user)


def delete_corrections_by(*, user) -> int:
    """Erasure: the corrections a person wrote are their words; the page they corrected stays."""
    deleted, _rows = OrganisationCorrection.objects.filter(submitted_by=user).delete()
    return deleted
