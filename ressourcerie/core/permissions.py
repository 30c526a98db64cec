"""Who may do what in the core app. Used by views, the API and templates alike."""


def _platform_roles(user) -> set[str]:
    from ressourcerie.accounts.models import Membership

    cached = getattr(user, "_core_platform_roles", None)
    if cached is None:
        cached = set(
            Membership.objects.filter(user=user, organisation__isnull=True).values_list(
                "role", flat=True
            )
        )
        user._core_platform_roles = cached
    return cached


def can_moderate(user) -> bool:
    """The platform team — the one definition, used by every view, the API and templates:
    staff and superuser accounts, and platform-wide moderator or administrator roles."""
    from ressourcerie.accounts.models import Role

    if not user or not user.is_authenticated or not user.is_active:
        return False
    if user.is_staff or user.is_superuser:
        return True
    return bool(_platform_roles(user) & {Role.MODERATOR, Role.ADMINISTRATOR})


def is_organisation_member(user, organisation) -> bool:
    """Holds a role inside this organisation (member, editor or refurbisher)."""
    if not user or not user.is_authenticated or not user.is_active or organisation is None:
        return False
    return organisation.memberships.filter(user=user).exists()


def can_edit_organisation(user, organisation) -> bool:
    return can_moderate(user) or is_organisation_member(user, organisation)


def is_organisation_admin(user, organisation) -> bool:
    """Administers this organisation: holds its ``member`` or ``editor`` role, the roles its
    creator gets and its invitations give (the people who manage its members today). A
    ``refurbisher`` membership, given by the team to receive donated lots, does not count."""
    from ressourcerie.accounts.models import Role

    if not user or not user.is_authenticated or not user.is_active or organisation is None:
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
    from functools import wraps

    from django.contrib.auth.views import redirect_to_login
    from django.core.exceptions import PermissionDenied

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can_moderate(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
