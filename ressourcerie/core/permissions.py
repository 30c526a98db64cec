"""Who may do what in the core app. Used by views, the API and templates alike.

Roles are read through the reverse accessors of ``accounts.Membership`` (``user.memberships``,
``organisation.memberships``) and compared with ``core.roles``: core imports no other app.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login

from .refusals import Refusal, team_refusal
from .roles import TEAM_ROLES, Role

__all__ = ["Refusal"]  # raised by views: ``raise Refusal(...)`` (see core.refusals)


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def _platform_roles(user) -> set[str]:
    cached = getattr(user, "_core_platform_roles", None)
    if cached is None:
        cached = set(
            user.memberships.filter(organisation__isnull=True).values_list("role", flat=True)
        )
        user._core_platform_roles = cached
    return cached


def can_moderate(user) -> bool:
    """The platform team — the one definition, used by every view, the API and templates:
    staff and superuser accounts, and platform-wide moderator or administrator roles."""
    if not _signed_in(user):
        return False
    if user.is_staff or user.is_superuser:
        return True
    return bool(_platform_roles(user) & TEAM_ROLES)


def is_organisation_member(user, organisation) -> bool:
    """Holds a role inside this organisation (member, editor or refurbisher)."""
    if not _signed_in(user) or organisation is None:
        return False
    return organisation.memberships.filter(user=user).exists()


def can_edit_organisation(user, organisation) -> bool:
    return can_moderate(user) or is_organisation_member(user, organisation)


def is_organisation_admin(user, organisation) -> bool:
    """Administers this organisation: holds its ``member`` or ``editor`` role, the roles its
    creator gets and its invitations give (the people who manage its members today). A
    ``refurbisher`` membership, given by the team to receive donated lots, does not count."""
    if not _signed_in(user) or organisation is None:
        return False
    return organisation.memberships.filter(user=user, role__in=[Role.MEMBER, Role.EDITOR]).exists()


def can_propose_verified_change(user, organisation) -> bool:
    """May ask to change the name, identifiers or contact addresses of a verified
    organisation (the team then decides; the team itself edits them directly)."""
    return can_moderate(user) or is_organisation_admin(user, organisation)


def can_invite_to_organisation(user, organisation) -> bool:
    return is_organisation_member(user, organisation)


def can_verify_organisation(user, organisation=None) -> bool:
    return can_moderate(user)


def team_required(view):
    """Views for the platform team: anonymous visitors go to sign-in, others get a 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can_moderate(request.user):
            raise team_refusal()
        return view(request, *args, **kwargs)

    return wrapper
