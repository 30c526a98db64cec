"""Who may see and do what in the support fund. Used by views, the API and templates.

- the platform team (``core.permissions.can_moderate``) manages calls, routes, decides;
- members of an association apply for it and follow its applications;
- reviewers (role ``reviewer``) see the applications routed to their group, except those of an
  association they belong to or for which they declared a conflict of interest;
- experts see only what they were asked, through their private link (no account).
"""

from ressourcerie.accounts.models import Role
from ressourcerie.accounts.permissions import has_role, organisations_for
from ressourcerie.core.permissions import (
    can_moderate,
    is_organisation_admin,
    is_organisation_member,
)

from .models import Application, Review


def can_manage_fund(user) -> bool:
    """Calls, routing, labels, committee decisions: the platform team."""
    return can_moderate(user)


def is_reviewer(user) -> bool:
    return has_role(user, Role.REVIEWER)


def applicant_organisations(user):
    """The associations in which the user may apply (member role)."""
    return organisations_for(user, role=Role.MEMBER)


def can_apply_for(user, organisation) -> bool:
    return has_role(user, Role.MEMBER, organisation=organisation)


def is_applicant(user, application: Application) -> bool:
    """A member of the applying association."""
    return is_organisation_member(user, application.organisation)


def has_conflict(user, application: Application) -> bool:
    """Member of the association, or declared a conflict of interest on it."""
    if is_organisation_member(user, application.organisation):
        return True
    return Review.objects.filter(
        application=application, reviewer=user, conflict_declared=True
    ).exists()


def can_review(user, application: Application) -> bool:
    """A reviewer of the application's group, without conflict of interest."""
    if not is_reviewer(user) or application.group_id is None:
        return False
    if not application.group.members.filter(pk=user.pk).exists():
        return False
    return not has_conflict(user, application)


def can_instruct(user, application: Application) -> bool:
    """See the instruction side of an application (scores, notes, messages as the team)."""
    return can_manage_fund(user) or can_review(user, application)


def can_view_application(user, application: Application) -> bool:
    return can_instruct(user, application) or is_applicant(user, application)


# --- the support itself (part 2) ---------------------------------------------------------
# Reviewers see nothing of supports; the team sees all; the association's members see their
# own; the assigned actor's people (member or editor of the structure) see the supports
# assigned to it while it holds them — a declined, replaced or revoked actor sees nothing.


def acts_for(user, organisation) -> bool:
    """Speaks for this structure: holds its ``member`` or ``editor`` role."""
    return is_organisation_admin(user, organisation)


def is_support_association(user, support) -> bool:
    return is_organisation_member(user, support.application.organisation)


def is_assigned_actor(user, support) -> bool:
    """A person of the actor the support (or its cohort) is assigned to now."""
    return support.actor_id is not None and acts_for(user, support.actor)


def can_view_support(user, support) -> bool:
    return (
        can_manage_fund(user)
        or is_support_association(user, support)
        or is_assigned_actor(user, support)
    )


def is_cohort_actor(user, cohort) -> bool:
    return cohort.actor_id is not None and acts_for(user, cohort.actor)
