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
