"""Reads of the accounts app used by views, the API and other apps."""

from django.db.models import F

from .models import ApiToken, Membership


def memberships_of(user):
    """The user's roles, organisation roles first, then platform roles."""
    return (
        Membership.objects.filter(user=user)
        .select_related("organisation")
        .order_by(F("organisation__name").asc(nulls_last=True), "role")
    )


def api_tokens_of(user):
    """The user's tokens, active ones first, newest first (same order on every engine)."""
    return ApiToken.objects.filter(user=user).order_by(
        F("revoked_at").desc(nulls_first=True), "-created_at"
    )


def active_api_tokens_count(user) -> int:
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).count()


def event_invitation_recipients(organisation_ids) -> dict[int, list[int]]:
    """{organisation id: [user id, …]}: the members of these organisations (any role) who
    asked, on « Mon compte », for invitations to events matching their association's plan
    (active accounts with a confirmed address only)."""
    found: dict[int, list[int]] = {}
    rows = (
        Membership.objects.filter(
            organisation_id__in=list(organisation_ids),
            user__event_invitations_opt_in=True,
            user__is_active=True,
            user__email_confirmed_at__isnull=False,
        )
        .order_by("organisation_id", "user_id")
        .values_list("organisation_id", "user_id")
        .distinct()
    )
    for organisation_id, user_id in rows:
        found.setdefault(organisation_id, []).append(user_id)
    return found
