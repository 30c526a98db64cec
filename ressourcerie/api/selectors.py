"""Reads of foundation data (core territories and organisations) for the API.

Domain parts expose their own selectors; these cover what the foundation holds and can move
to ``core.selectors`` when core grows one.
"""

from ressourcerie.core.models import Commune, Department, Organisation, Region


def regions():
    """Every region, by name."""
    return Region.objects.order_by("name")


def departments():
    """Every department with its region, by code."""
    return Department.objects.select_related("region").order_by("code")


def commune_by_insee(insee: str) -> Commune | None:
    return Commune.objects.select_related("department").filter(insee=insee).first()


def organisations(*, kind: str = "", department: str = "", sector: str = ""):
    """Organisations for the public list, filtered, in a stable order."""
    queryset = Organisation.objects.select_related("commune__department").order_by("name", "pk")
    if kind:
        queryset = queryset.filter(kind=kind)
    if department:
        queryset = queryset.filter(commune__department__code=department)
    if sector:
        queryset = queryset.filter(sector=sector)
    return queryset


def organisation_by_slug(slug: str) -> Organisation | None:
    return Organisation.objects.select_related("commune__department").filter(slug=slug).first()
