"""Who may do what with testimonials. Used by views, the API and templates alike."""

from ressourcerie.core.models import ModerationStatus, Organisation, OrganisationKind
from ressourcerie.core.permissions import can_moderate, is_organisation_member


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def associations_for(user):
    """Associations the user is a member of (the ones they may write a testimonial for)."""
    if not _signed_in(user):
        return Organisation.objects.none()
    return Organisation.objects.filter(
        kind=OrganisationKind.ASSOCIATION, memberships__user=user
    ).distinct()


def can_submit(user) -> bool:
    return associations_for(user).exists()


def can_submit_for(user, organisation) -> bool:
    return (
        organisation is not None
        and organisation.kind == OrganisationKind.ASSOCIATION
        and is_organisation_member(user, organisation)
    )


def is_author(user, testimonial) -> bool:
    return _signed_in(user) and testimonial.submitted_by_id == user.pk


def can_view(user, testimonial) -> bool:
    """Published ones are public; others only for their author and the moderation team."""
    if testimonial.moderation_status == ModerationStatus.PUBLISHED:
        return True
    return is_author(user, testimonial) or can_moderate(user)


def can_edit(user, testimonial) -> bool:
    """The author (the moderation machine re-checks it); withdrawn or rejected is final."""
    if testimonial.moderation_status in (ModerationStatus.WITHDRAWN, ModerationStatus.REJECTED):
        return False
    return is_author(user, testimonial) and is_organisation_member(user, testimonial.organisation)


def can_withdraw(user, testimonial) -> bool:
    if testimonial.moderation_status == ModerationStatus.WITHDRAWN:
        return False
    return is_author(user, testimonial) or can_moderate(user)


def can_contact(user, testimonial) -> bool:
    """Signed-in people outside the association, when it agreed to be contacted."""
    return (
        _signed_in(user)
        and testimonial.contact_opt_in
        and testimonial.moderation_status == ModerationStatus.PUBLISHED
        and not is_organisation_member(user, testimonial.organisation)
    )
