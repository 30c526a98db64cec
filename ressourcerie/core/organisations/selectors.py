"""Reads about organisations, used by views, the API and other apps."""

from datetime import datetime

from django.conf import settings
from django.db.models import Q, QuerySet

from ..models import (
    Department,
    Organisation,
    OrganisationKind,
    OrganisationVerification,
    VerificationStatus,
)

# How long the team usually takes to verify an organisation, told to those waiting.
USUAL_DELAY_DAYS = getattr(settings, "ORGANISATION_VERIFICATION_DAYS", 3)


def organisation_with_identifier(
    *, rna: str = "", siren: str = "", siret: str = "", exclude_pk=None
) -> Organisation | None:
    """The organisation already registered with one of these identifiers, if any."""
    condition = Q()
    if rna:
        condition |= Q(rna=rna)
    if siret:
        condition |= Q(siret=siret)
    if siren:
        condition |= Q(siren=siren) | Q(siret__startswith=siren)
    if not condition:
        return None
    queryset = Organisation.objects.filter(condition)
    if exclude_pk is not None:
        queryset = queryset.exclude(pk=exclude_pk)
    return queryset.first()


def organisation_list(
    *, department: str = "", sector: str = "", kind: str = ""
) -> QuerySet[Organisation]:
    """Public list of organisations, filtered; verified ones are marked, not singled out."""
    queryset = Organisation.objects.select_related("commune__department").order_by("name", "pk")
    if department:
        queryset = queryset.filter(commune__department__code=department)
    if sector:
        queryset = queryset.filter(sector=sector)
    if kind:
        queryset = queryset.filter(kind=kind)
    return queryset


def departments_with_organisations() -> QuerySet[Department]:
    return (
        Department.objects.filter(communes__organisation__isnull=False).distinct().order_by("code")
    )


def organisation_members(organisation: Organisation):
    return organisation.memberships.select_related("user").order_by("created_at")


def kinds():
    return OrganisationKind.choices


def waiting_since(organisation: Organisation) -> datetime:
    """When the organisation last entered the team's queue (registered, or completed)."""
    last = (
        organisation.verification_history.filter(to_status=VerificationStatus.PENDING)
        .order_by("-at", "-pk")
        .first()
    )
    return last.at if last is not None else organisation.created_at


def last_step(organisation: Organisation) -> OrganisationVerification | None:
    """The latest step of the team's check (its reason says what is missing)."""
    return organisation.verification_history.order_by("-at", "-pk").first()
