"""Invitations to join an organisation: the link, its e-mail, its acceptance.

An invitation makes a membership, so it lives in accounts (core imports no other app); its
pages keep their addresses under /associations/ and their names in core's namespace
(``core:invitation``, ``core:organisation_invite``: see ``ressourcerie/urls.py``).
Refusals raise ``core.organisations.services.OrganisationError``.
"""

import secrets
from base64 import urlsafe_b64encode
from datetime import UTC, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from ressourcerie.core.models import Organisation
from ressourcerie.core.organisations.services import OrganisationError, member_role
from ressourcerie.core.services import queue_email
from ressourcerie.core.tokens import hash_token

from .models import Invitation, Membership

INVITATION_VALIDITY = timedelta(days=14)
# Unchanged since the invitations lived in core: links already sent stay valid.
INVITATION_SALT = "ressourcerie.core.invitation"
INVITATIONS_PER_DAY = 20
# The e-mail purpose keeps its first name: tasks already queued still find their builder.
PURPOSE = "core.invitation"


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
            role=member_role(organisation),
            # Unusable until the real hash replaces it below (the token needs the id).
            token_hash=hash_token(secrets.token_urlsafe(32)),
            invited_by=inviter,
            expires_at=now + INVITATION_VALIDITY,
        )
        raw = invitation_token(invitation)
        invitation.token_hash = hash_token(raw)
        invitation.save(update_fields=["token_hash"])
        queue_email(purpose=PURPOSE, ids={"invitation": invitation.pk})
    return invitation, raw


def find_invitation(raw_token: str):
    """The invitation for a raw token from a link, or None (forged, mistyped)."""
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


def _same_address(a: str, b: str) -> bool:
    return (a or "").strip().lower() == (b or "").strip().lower()


def invitation_is_for(invitation, user) -> bool:
    """Whether ``user`` signed in with the address ``invitation`` was sent to."""
    return bool(
        invitation is not None
        and user is not None
        and user.is_authenticated
        and _same_address(invitation.email, user.email)
    )


def masked_email(email: str) -> str:
    """``camille@example.org`` → ``c•••@example.org``: enough to recognise one's address on a
    page that a forwarded link may show to someone else."""
    local, _at, domain = (email or "").strip().lower().partition("@")
    return f"{local[:1]}•••@{domain}"


WRONG_ACCOUNT_MESSAGE = _(
    "Cette invitation a été envoyée à une autre adresse que celle de votre compte. "
    "Déconnectez-vous, puis connectez-vous ou créez un compte avec l'adresse invitée."
)


def accept_invitation(*, raw_token: str, user):
    """Make ``user`` a member through a valid invitation sent to their address; used once."""
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
        # The link may have been forwarded or leaked: only the invited address joins (and
        # reads the association's private requests).
        if not invitation_is_for(invitation, user):
            raise OrganisationError(WRONG_ACCOUNT_MESSAGE)
        Membership.objects.get_or_create(
            user=user, organisation=invitation.organisation, role=invitation.role
        )
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at", "updated_at"])
    return invitation
