"""Who may do what, from memberships. Used by views, the API and templates alike."""

from ressourcerie.core.models import Organisation

from .models import ORGANISATION_ROLES, Membership, Role


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def has_role(user, role, organisation=None) -> bool:
    """True when the user holds ``role``; for an organisation role, within ``organisation``
    when given, within any organisation otherwise."""
    if not _signed_in(user):
        return False
    memberships = Membership.objects.filter(user=user, role=role)
    if role in ORGANISATION_ROLES and organisation is not None:
        memberships = memberships.filter(organisation=organisation)
    return memberships.exists()


def is_administrator(user) -> bool:
    if not _signed_in(user):
        return False
    return user.is_superuser or has_role(user, Role.ADMINISTRATOR)


def is_moderator(user) -> bool:
    """Moderators, administrators and platform staff may moderate."""
    if not _signed_in(user):
        return False
    if user.is_staff or user.is_superuser:
        return True
    return Membership.objects.filter(
        user=user, role__in=[Role.MODERATOR, Role.ADMINISTRATOR]
    ).exists()


def organisations_for(user, role=None):
    """Organisations in which the user holds a role (``role`` narrows to that one)."""
    if not _signed_in(user):
        return Organisation.objects.none()
    memberships = Membership.objects.filter(user=user, organisation__isnull=False)
    if role is not None:
        memberships = memberships.filter(role=role)
    return Organisation.objects.filter(pk__in=memberships.values("organisation_id"))
