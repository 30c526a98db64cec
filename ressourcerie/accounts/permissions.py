"""Who holds which role, from memberships. Used by views, the API and templates alike.

The platform team (moderators, administrators, staff) is ``core.permissions.can_moderate``,
the one definition; ``core.permissions.team_required`` is the one gate of team pages."""

from ressourcerie.core.models import Organisation

from .models import ORGANISATION_ROLES, Membership


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


def organisations_for(user, role=None):
    """Organisations in which the user holds a role (``role`` narrows to that one)."""
    if not _signed_in(user):
        return Organisation.objects.none()
    memberships = Membership.objects.filter(user=user, organisation__isnull=False)
    if role is not None:
        memberships = memberships.filter(role=role)
    return Organisation.objects.filter(pk__in=memberships.values("organisation_id"))
