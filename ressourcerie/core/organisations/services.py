"""Writes about organisations: creation, edits, verification, invitations, corrections."""

import secrets
from base64 import urlsafe_b64encode
from datetime import UTC, timedelta

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from .. import moderation
from ..models import Organisation, OrganisationCorrection, OrganisationKind
from ..services import queue_email

INVITATION_VALIDITY = timedelta(days=14)
INVITATION_SALT = "ressourcerie.core.invitation"
INVITATIONS_PER_DAY = 20
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


class OrganisationError(Exception):
    """A refused action; ``message`` is French and can be shown as is."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


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
    from ressourcerie.accounts.models import Membership, Role

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
                Membership.objects.create(
                    user=creator, organisation=organisation, role=_member_role(organisation, Role)
                )
                return organisation
        except IntegrityError:
            # A concurrent creation took the slug (or an identifier: let the caller see it).
            if _identifier_taken(values):
                raise OrganisationError(
                    _("Une organisation avec ce numéro vient d'être inscrite.")
                ) from None
    raise OrganisationError(_("L'inscription n'a pas pu aboutir, réessayez."))


def _identifier_taken(values) -> bool:
    from .selectors import organisation_with_identifier

    return (
        organisation_with_identifier(
            rna=values["rna"], siren=values["siren"], siret=values["siret"]
        )
        is not None
    )


def _member_role(organisation, Role):
    if organisation.kind == OrganisationKind.SUPPORT_STRUCTURE:
        return Role.EDITOR
    return Role.MEMBER


@transaction.atomic
def update_organisation(*, organisation: Organisation, actor, data: dict) -> Organisation:
    """Apply an edit from a member or the team."""
    for field in ORGANISATION_FIELDS:
        if field in data:
            value = data[field]
            setattr(organisation, field, value if value is not None or field == "commune" else "")
    organisation.save()
    return organisation


@transaction.atomic
def verify_organisation(*, organisation: Organisation, actor) -> Organisation:
    """The team checked the organisation exists (RNA/SIRENE): record who and when."""
    organisation.verified_at = timezone.now()
    organisation.verified_by = actor
    organisation.save(update_fields=["verified_at", "verified_by", "updated_at"])
    return organisation


def invitation_url(raw_token: str) -> str:
    return reverse("core:invitation", args=[raw_token])


def invitation_token(invitation) -> str:
    """The invitation's link token, derived from its id, creation time and SECRET_KEY: the
    worker makes it again when it sends, so the task keeps the id only and the table the hash."""
    created = invitation.created_at.astimezone(UTC).strftime("%Y%m%d%H%M%S%f")
    digest = salted_hmac(INVITATION_SALT, f"{invitation.pk}:{created}", algorithm="sha256").digest()
    return urlsafe_b64encode(digest).decode().rstrip("=")


def invite_member(*, organisation: Organisation, inviter, email: str):
    """Create an invitation (only the token's hash is kept) and e-mail its link."""
    from ressourcerie.accounts.models import Invitation, Role
    from ressourcerie.accounts.tokens import hash_token

    email = email.strip().lower()
    now = timezone.now()
    sent_today = Invitation.objects.filter(
        invited_by=inviter, created_at__gte=now - timedelta(days=1)
    ).count()
    if sent_today >= INVITATIONS_PER_DAY:
        raise OrganisationError(
            _("Vous avez envoyé %(n)d invitations en 24 heures : réessayez demain.")
            % {"n": INVITATIONS_PER_DAY}
        )
    if organisation.memberships.filter(user__email__iexact=email).exists():
        raise OrganisationError(_("Cette personne est déjà membre."))
    with transaction.atomic():
        invitation = Invitation.objects.create(
            organisation=organisation,
            email=email,
            role=_member_role(organisation, Role),
            # Unusable until the real hash replaces it below (the token needs the id).
            token_hash=hash_token(secrets.token_urlsafe(32)),
            invited_by=inviter,
            expires_at=now + INVITATION_VALIDITY,
        )
        raw = invitation_token(invitation)
        invitation.token_hash = hash_token(raw)
        invitation.save(update_fields=["token_hash"])
        queue_email(purpose="core.invitation", ids={"invitation": invitation.pk})
    return invitation, raw


def find_invitation(raw_token: str):
    """The invitation for a raw token from a link, or None (forged, mistyped)."""
    from ressourcerie.accounts.models import Invitation
    from ressourcerie.accounts.tokens import hash_token

    if not raw_token or len(raw_token) > 100:
        return None
    return (
        Invitation.objects.select_related("organisation", "invited_by")
        .filter(token_hash=hash_token(raw_token))
        .first()
    )


def invitation_state(invitation) -> str:
    if invitation is None:
        return "unknown"
    if invitation.accepted_at is not None:
        return "used"
    if invitation.expires_at <= timezone.now():
        return "expired"
    return "valid"


def accept_invitation(*, raw_token: str, user):
    """Make ``user`` a member through a valid invitation; used once."""
    from ressourcerie.accounts.models import Invitation, Membership

    invitation = find_invitation(raw_token)
    if invitation is None:
        raise OrganisationError(_("Ce lien d'invitation n'est pas valide."))
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        state = invitation_state(invitation)
        if state == "used":
            raise OrganisationError(_("Cette invitation a déjà été utilisée."))
        if state == "expired":
            raise OrganisationError(_("Cette invitation a expiré."))
        Membership.objects.get_or_create(
            user=user, organisation=invitation.organisation, role=invitation.role
        )
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at", "updated_at"])
    return invitation


def report_correction(*, organisation: Organisation, user, message: str) -> OrganisationCorrection:
    """Someone reports an error on an organisation page; it enters the moderation queue."""
    correction = OrganisationCorrection(organisation=organisation, message=message[:2000])
    return moderation.submit(obj=correction, by=user)
