"""E-mails of the accounts app, rebuilt by the worker from ids (see core.emails).

Secrets are made here, at send time: sign-in and deletion codes are issued (only their hash
is stored, their validity starts now); confirmation and password-reset links are derived
from the account and SECRET_KEY, exactly as the views check them."""

from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from ressourcerie.core.emails import Email, purpose, site_url

from . import invitations, services
from .models import Invitation, User


def _user(pk: int) -> User | None:
    return User.objects.filter(pk=pk, is_active=True).first()


def _minutes() -> int:
    return int(services.LOGIN_CODE_VALIDITY.total_seconds() // 60)


@purpose("accounts.already_registered")
def already_registered(*, user: int) -> Email | None:
    user = _user(user)
    if user is None:
        return None
    return Email(
        to=[user.email],
        subject=_("Vous avez déjà un compte"),
        template="accounts_already_registered",
        context={
            "display_name": user.display_name,
            "login_url": site_url(reverse("accounts:login")),
            "code_url": site_url(reverse("accounts:code_request")),
            "reset_url": site_url(reverse("accounts:password_reset")),
        },
    )


@purpose("accounts.confirm_email")
def confirm_email(*, user: int) -> Email | None:
    user = _user(user)
    if user is None:
        return None
    token = services.confirmation_token(user)
    return Email(
        to=[user.email],
        subject=_("Confirmez votre adresse e-mail"),
        template="accounts_confirm_email",
        context={
            "display_name": user.display_name,
            "confirm_url": site_url(reverse("accounts:confirm_email", args=[token])),
            "valid_days": services.CONFIRMATION_VALIDITY.days,
        },
    )


@purpose("accounts.login_code")
def login_code(*, user: int) -> Email | None:
    user = _user(user)
    if user is None:
        return None
    code = services._issue_code(user)
    return Email(
        to=[user.email],
        subject=_("Votre code de connexion : %(code)s") % {"code": code},
        template="accounts_login_code",
        context={"display_name": user.display_name, "code": code, "minutes": _minutes()},
    )


@purpose("accounts.deletion_code")
def deletion_code(*, user: int) -> Email | None:
    user = _user(user)
    if user is None:
        return None
    code = services._issue_code(user)
    return Email(
        to=[user.email],
        subject=_("Code de confirmation de suppression de compte"),
        template="accounts_deletion_code",
        context={"display_name": user.display_name, "code": code, "minutes": _minutes()},
    )


@purpose("accounts.password_reset")
def password_reset(*, user: int) -> Email | None:
    user = _user(user)
    if user is None:
        return None
    path = reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return Email(
        to=[user.email],
        subject=_("Choisir un nouveau mot de passe"),
        template="accounts_password_reset",
        context={"display_name": user.display_name, "reset_url": site_url(path)},
    )


@purpose(invitations.PURPOSE)
def invitation(*, invitation: int) -> Email | None:
    """The invitation link, derived again from the invitation (invitations.invitation_token)."""
    invitation = (
        Invitation.objects.select_related("organisation", "invited_by")
        .filter(pk=invitation, accepted_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )
    if invitation is None:
        return None
    return Email(
        to=[invitation.email],
        subject=_("Invitation à rejoindre %(name)s") % {"name": invitation.organisation.name},
        template="organisation_invitation",
        context={
            "organisation": invitation.organisation.name,
            "inviter": str(invitation.invited_by) if invitation.invited_by else "",
            "path": invitations.invitation_url(invitations.invitation_token(invitation)),
            "expires_at": timezone.localtime(invitation.expires_at).strftime("%d/%m/%Y"),
        },
    )
