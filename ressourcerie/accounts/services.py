"""Writes of the accounts app: sign-up and confirmation, sign-in codes, tokens, roles, erasure."""

import logging
import secrets
from datetime import UTC, datetime, timedelta

from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _

from ressourcerie.core.errors import DomainError
from ressourcerie.core.organisations.services import OrganisationError
from ressourcerie.core.services import queue_email
from ressourcerie.core.tokens import hash_token, read_signed

from . import invitations, personal_data, ratelimits
from .models import ORGANISATION_ROLES, ApiToken, Invitation, LoginCode, Membership, Role, User
from .tokens import generate_token

audit = logging.getLogger("ressourcerie.audit")

CONFIRMATION_SALT = "ressourcerie.accounts.confirm-email"
CONFIRMATION_VALIDITY = timedelta(days=7)
# The privacy page promises it: accounts never confirmed are deleted after 7 days.
UNCONFIRMED_RETENTION = timedelta(days=7)
LOGIN_CODE_VALIDITY = timedelta(minutes=15)
LOGIN_CODE_MAX_ATTEMPTS = 5


def normalize_email(email: str) -> str:
    return User.objects.normalize_email((email or "").strip()).lower()


def find_user_by_email(email: str) -> User | None:
    return User.objects.filter(email__iexact=normalize_email(email), is_active=True).first()


# --- Sign-up and e-mail confirmation --------------------------------------------------


def sign_up(*, email: str, password: str, display_name: str = "") -> User | None:
    """Create an unconfirmed account and send the confirmation link.

    An address already registered gets an e-mail instead ("you already have an account", or a
    new confirmation link); the caller answers the same either way, so nobody can learn
    which addresses have an account. Returns the new user, or None when the address existed.
    """
    email = normalize_email(email)
    with transaction.atomic():
        existing = User.objects.filter(email__iexact=email).first()
        if existing is None:
            try:
                with transaction.atomic():
                    user = User.objects.create_user(
                        email, password, display_name=display_name.strip()
                    )
            except IntegrityError:  # signed up twice at the same moment
                existing = User.objects.filter(email__iexact=email).first()
            else:
                send_confirmation(user=user)
                return user
        if existing is not None:
            # Hash anyway: a fast answer would tell that the address is already registered.
            User().set_password(password)
            _notify_existing_account(existing)
        return None


def _notify_existing_account(user: User) -> None:
    if user.email_confirmed_at is None:
        send_confirmation(user=user)
        return
    queue_email(purpose="accounts.already_registered", ids={"user": user.pk})


def _email_digest(email: str) -> str:
    # Ties a link to the address it was sent to, without putting the address in the URL.
    return salted_hmac(CONFIRMATION_SALT, email.lower(), algorithm="sha256").hexdigest()[:20]


def confirmation_token(user: User) -> str:
    return signing.dumps({"u": user.pk, "e": _email_digest(user.email)}, salt=CONFIRMATION_SALT)


class InvalidConfirmationLink(DomainError):
    """A confirmation link that is forged, mistyped or past its 7 days."""

    def __init__(self, *, expired: bool = False):
        super().__init__(
            _("Ce lien de confirmation a expiré.")
            if expired
            else _("Ce lien de confirmation n'est pas valide.")
        )
        self.expired = expired


def user_for_confirmation_token(token: str) -> User:
    """The user a confirmation link was sent to; InvalidConfirmationLink if forged or expired."""
    data = read_signed(
        token,
        salt=CONFIRMATION_SALT,
        max_age=CONFIRMATION_VALIDITY.total_seconds(),
        invalid=InvalidConfirmationLink,
    )
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        raise InvalidConfirmationLink()
    user = User.objects.filter(pk=data["u"], is_active=True).first()
    if user is None or not constant_time_compare(str(data.get("e")), _email_digest(user.email)):
        raise InvalidConfirmationLink()
    return user


def send_confirmation(*, user: User) -> None:
    # The signed link is made when the worker sends (accounts.emails): it is derived from
    # the id, the address and SECRET_KEY, so the task keeps only the id.
    queue_email(purpose="accounts.confirm_email", ids={"user": user.pk})


def resend_confirmation(*, email: str) -> None:
    """Send a new confirmation link when the address has an unconfirmed account; else nothing."""
    user = find_user_by_email(email)
    if user is not None and user.email_confirmed_at is None:
        send_confirmation(user=user)


def confirm_email(*, user: User) -> bool:
    """Mark the address confirmed; False when it already was."""
    with transaction.atomic():
        updated = User.objects.filter(pk=user.pk, email_confirmed_at__isnull=True).update(
            email_confirmed_at=timezone.now()
        )
    user.refresh_from_db(fields=["email_confirmed_at"])
    return bool(updated)


def sign_up_from_invitation(*, raw_token: str, password: str, display_name: str = "") -> User:
    """Create the account of the address an invitation was sent to, and accept it.

    The link reached that inbox, which is what a confirmation link proves: the account is
    confirmed at once and no second e-mail is sent. An account already confirmed at this
    address must sign in instead (raises OrganisationError, with the French message); an
    unconfirmed one never proved the address, so its password is replaced by the new one.
    """
    invitation = invitations.find_invitation(raw_token)
    if invitations.invitation_state(invitation) != "valid":
        raise OrganisationError(
            _("Cette invitation n'est plus valable : demandez-en une nouvelle.")
        )
    email = normalize_email(invitation.email)
    with transaction.atomic():
        user = User.objects.select_for_update().filter(email__iexact=email).first()
        if user is not None and user.email_confirmed_at is not None:
            raise OrganisationError(
                _(
                    "Un compte existe déjà avec cette adresse : connectez-vous pour accepter "
                    "l'invitation (ou recevez un code de connexion par e-mail)."
                )
            )
        now = timezone.now()
        if user is None:
            user = User.objects.create_user(
                email, password, display_name=display_name.strip(), email_confirmed_at=now
            )
        else:
            user.set_password(password)
            user.display_name = display_name.strip()
            user.email_confirmed_at = now
            user.save(update_fields=["password", "display_name", "email_confirmed_at"])
            audit.info("unconfirmed account %s taken over by its invited address", user.pk)
        invitations.accept_invitation(raw_token=raw_token, user=user)
    return user


# --- One-time sign-in codes -----------------------------------------------------------


def _code_hash(user_id: int, code: str) -> str:
    # Keyed with SECRET_KEY: a leaked table of 6-digit codes cannot be reversed by brute force.
    return salted_hmac("ressourcerie.accounts.login-code", f"{user_id}:{code}").hexdigest()


def _issue_code(user: User) -> str:
    """A new 6-digit code for ``user`` (only its hash is kept), valid from now on.

    Called by the worker when it sends the e-mail (accounts.emails), so that the code never
    sits in the task table and its 15 minutes start when it is sent."""
    code = f"{secrets.randbelow(1_000_000):06d}"
    with transaction.atomic():
        # Only the newest code is valid: older unused ones go.
        user.login_codes.filter(used_at__isnull=True).delete()
        LoginCode.objects.create(
            user=user,
            code_hash=_code_hash(user.pk, code),
            expires_at=timezone.now() + LOGIN_CODE_VALIDITY,
        )
    return code


def code_lock_until(email: str):
    """When codes for ``email`` work again (an aware datetime), or None if they work now.

    Failed codes are counted per typed address (with or without an account) over a sliding
    day: five guesses per code could otherwise go on code after code all day long. Only that
    address is locked; its owner can still sign in with the password."""
    until = ratelimits.LIMITS.blocked_until("code_failures_email", normalize_email(email))
    if until is None:
        return None
    return datetime.fromtimestamp(until, tz=UTC)


def _record_code_failure(email: str) -> None:
    ratelimits.LIMITS.record("code_failures_email", normalize_email(email))


def send_login_code(*, email: str) -> None:
    """E-mail a 6-digit sign-in code when the address has an account and is not locked by
    failed codes (``code_lock_until``); else do nothing."""
    if code_lock_until(email) is not None:
        return
    user = find_user_by_email(email)
    if user is None:
        return
    queue_email(purpose="accounts.login_code", ids={"user": user.pk})


def send_deletion_code(*, user: User) -> None:
    """E-mail a code confirming the deletion of an account that has no password."""
    queue_email(purpose="accounts.deletion_code", ids={"user": user.pk})


def check_code(*, user: User, code: str) -> bool:
    """Use up the user's current code if ``code`` matches it (single use, 5 attempts, 15 min)."""
    with transaction.atomic():
        login_code = (
            LoginCode.objects.select_for_update()
            .filter(user=user, used_at__isnull=True, expires_at__gt=timezone.now())
            .order_by("-created_at")
            .first()
        )
        if login_code is None or login_code.attempts >= LOGIN_CODE_MAX_ATTEMPTS:
            return False
        login_code.attempts += 1
        ok = constant_time_compare(login_code.code_hash, _code_hash(user.pk, code))
        if ok:
            login_code.used_at = timezone.now()
        login_code.save(update_fields=["attempts", "used_at"])
        return ok


def verify_login_code(*, email: str, code: str) -> User | None:
    """The user signing in with ``code``, or None. A code proves the address: it confirms it.
    Every failure counts towards the address's lock; a locked address accepts no code."""
    if code_lock_until(email) is not None:
        return None
    user = find_user_by_email(email)
    if user is None or not check_code(user=user, code=code):
        _record_code_failure(email)
        return None
    if user.email_confirmed_at is None:
        confirm_email(user=user)
    return user


# --- Profile and API tokens -----------------------------------------------------------


def update_profile(
    *, user: User, display_name: str, event_invitations_opt_in: bool | None = None
) -> User:
    user.display_name = display_name.strip()
    fields = ["display_name"]
    if event_invitations_opt_in is not None:
        user.event_invitations_opt_in = event_invitations_opt_in
        fields.append("event_invitations_opt_in")
    user.save(update_fields=fields)
    return user


def create_api_token(*, user: User, name: str) -> tuple[ApiToken, str]:
    """A new personal API token; the raw value is returned once and never stored."""
    for _attempt in range(5):
        raw, prefix = generate_token()
        try:
            with transaction.atomic():
                token = ApiToken.objects.create(
                    user=user, name=name.strip(), prefix=prefix, token_hash=hash_token(raw)
                )
        except IntegrityError:  # prefix collision: draw again
            continue
        return token, raw
    raise RuntimeError("Could not draw a unique API token prefix")


def revoke_api_token(*, user: User, token_id: int) -> ApiToken:
    """Revoke one of the user's tokens; ApiToken.DoesNotExist for anyone else's."""
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token_id, user=user)
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at", "updated_at"])
    return token


# --- Roles ----------------------------------------------------------------------------


def _check_scope(role, organisation) -> None:
    if role not in Role.values:
        raise ValidationError(_("Rôle inconnu."))
    if role in ORGANISATION_ROLES and organisation is None:
        raise ValidationError(_("Ce rôle s'exerce dans une organisation : précisez laquelle."))
    if role not in ORGANISATION_ROLES and organisation is not None:
        raise ValidationError(_("Ce rôle s'exerce sur toute la plateforme, sans organisation."))


def grant_role(*, user: User, role, organisation=None, by: User | None = None) -> Membership:
    """Give ``role`` to ``user`` (in ``organisation`` for an organisation role). Idempotent."""
    _check_scope(role, organisation)
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(
            user=user, organisation=organisation, role=role
        )
    if created:
        audit.info(
            "role granted: user=%s role=%s organisation=%s by=%s",
            user.pk,
            role,
            getattr(organisation, "pk", None),
            getattr(by, "pk", None),
        )
    return membership


def revoke_role(*, user: User, role, organisation=None, by: User | None = None) -> bool:
    """Take ``role`` back; False when the user did not hold it."""
    _check_scope(role, organisation)
    with transaction.atomic():
        deleted, _rows = Membership.objects.filter(
            user=user, organisation=organisation, role=role
        ).delete()
    if deleted:
        audit.info(
            "role revoked: user=%s role=%s organisation=%s by=%s",
            user.pk,
            role,
            getattr(organisation, "pk", None),
            getattr(by, "pk", None),
        )
    return bool(deleted)


# --- Erasure --------------------------------------------------------------------------


def delete_account(*, user: User, reason: str = "requested") -> None:
    """Erase the person: other apps' erasure steps, memberships, tokens, codes, invitations,
    sessions, finished e-mail tasks and admin log entries naming them, then the user row.
    Content others depend on keeps existing with a null author."""
    user_id = user.pk
    with transaction.atomic():
        personal_data.run_erasure_steps(user)
        Membership.objects.filter(user=user).delete()
        ApiToken.objects.filter(user=user).delete()
        LoginCode.objects.filter(user=user).delete()
        Invitation.objects.filter(Q(invited_by=user) | Q(email__iexact=user.email)).delete()
        _delete_sessions_of(user)
        _forget_in_admin_log(user)
        _delete_finished_tasks_naming(user.email)
        user.delete()
    # Only the id: the log must not keep what the person asked us to erase.
    audit.info("account deleted: user=%s reason=%s", user_id, reason)


def _delete_sessions_of(user: User) -> None:
    """Sessions signed in as the person, or that asked a sign-in code for their address
    (other devices: the current one is flushed by the view's logout)."""
    if settings.SESSION_ENGINE != "django.contrib.sessions.backends.db":
        return
    user_id, email = str(user.pk), user.email.lower()
    doomed = []
    for session in Session.objects.iterator():
        data = session.get_decoded()
        if data.get("_auth_user_id") == user_id or (
            str(data.get("accounts_code_email", "")).lower() == email  # SESSION_CODE_EMAIL
        ):
            doomed.append(session.session_key)
    Session.objects.filter(session_key__in=doomed).delete()


def _forget_in_admin_log(user: User) -> None:
    """The admin's log keeps what the team did, no longer whom it was about."""
    about_the_person = Q(
        content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)
    ) | Q(object_repr__icontains=user.email)
    LogEntry.objects.filter(about_the_person).update(object_repr=str(_("compte supprimé")))


def _delete_finished_tasks_naming(email: str) -> None:
    """Sent e-mails stay in the task table for a while: those that name the person go.
    Tasks still to run are left alone (one e-mail may also go to others); they are to carry
    ids, not addresses (DESIGN §7), and find no one once the account is gone."""
    if not apps.is_installed("django_tasks_db"):
        return
    task_result = apps.get_model("django_tasks_database", "DBTaskResult")
    task_result.objects.filter(status__in=["SUCCESSFUL", "FAILED"]).filter(
        Q(args_kwargs__icontains=email)
        | Q(return_value__icontains=email)
        | Q(traceback__icontains=email)
    ).delete()


def purge_unconfirmed_accounts(*, now=None) -> int:
    """Delete accounts whose address was never confirmed within 7 days. Returns how many."""
    cutoff = (now or timezone.now()) - UNCONFIRMED_RETENTION
    stale = User.objects.filter(
        email_confirmed_at__isnull=True,
        date_joined__lt=cutoff,
        last_login__isnull=True,
        is_staff=False,
        is_superuser=False,
    )
    count = 0
    for user in stale.iterator():
        delete_account(user=user, reason="never confirmed")
        count += 1
    return count
