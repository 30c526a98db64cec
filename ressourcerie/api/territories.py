"""Communes, departments and regions: the shared gazetteer, read-only."""

from typing import Annotated

from django.utils.translation import gettext_lazy as _
from ninja import Path, Query, Router

from ressourcerie.core.territories import resolve_commune

from . import selectors, v1
from .errors import ApiError
from .pagination import whole_list
from .schemas import (
    CommuneOut,
    CommuneResolution,
    DepartmentOut,
    RegionOut,
    commune_to_dict,
    department_to_dict,
    region_to_dict,
)
from .text import clean_text

router = Router(tags=["Territoires"])

NANTES = {
    "insee": "44109",
    "name": "Nantes",
    "department": {"code": "44", "name": "Loire-Atlantique"},
    "postal_codes": ["44000", "44100", "44200", "44300"],
    "population": 320732,
    "latitude": 47.2316,
    "longitude": -1.5483,
}


@router.get(
    "/communes",
    response=CommuneResolution,
    summary="Trouver une commune",
    description=(
        "Reconnaît un code postal (« 44000 »), un code INSEE, un nom avec ou sans accents "
        "(« st nazaire »), avec un département entre parenthèses (« Saint-Herblain (44) »). "
        "Les communes sont triées par population décroissante (10 au plus). Quand rien ne "
        "correspond, « suggestions » propose des orthographes proches."
    ),
    openapi_extra=v1.example(
        path="/api/v1/communes?q=nantes",
        response={"query": "nantes", "exact": True, "results": [NANTES], "suggestions": []},
    ),
)
def find_communes(
    request,
    q: Annotated[
        str,
        Query(
            min_length=1,
            max_length=120,
            description="Texte saisi : code postal, code INSEE ou nom.",
        ),
    ],
):
    resolution = resolve_commune(clean_text(q))
    return {
        "query": resolution.query,
        "exact": resolution.exact,
        "results": [commune_to_dict(c) for c in resolution.communes],
        "suggestions": [commune_to_dict(c) for c in resolution.suggestions],
    }


@router.get(
    "/communes/{insee}",
    response=CommuneOut,
    summary="Une commune par son code INSEE",
    openapi_extra=v1.example(path="/api/v1/communes/44109", response=NANTES),
)
def get_commune(
    request,
    insee: Annotated[
        str, Path(pattern=r"^(\d{5}|2[AB]\d{3})$", description="Code INSEE (5 caractères).")
    ],
):
    commune = selectors.commune_by_insee(insee)
    if commune is None:
        raise ApiError(404, _("Aucune commune n'a ce code INSEE."))
    return commune_to_dict(commune)


@router.get(
    "/departements",
    response=v1.Page[DepartmentOut],
    summary="Lister les départements",
    description="Tous les départements, par code, sur une seule page.",
    openapi_extra=v1.example(
        path="/api/v1/departements",
        response={
            "count": 101,
            "next": None,
            "previous": None,
            "results": [
                {
                    "code": "01",
                    "name": "Ain",
                    "region": {"code": "84", "name": "Auvergne-Rhône-Alpes"},
                }
            ],
        },
    ),
)
def list_departments(request):
    return whole_list(selectors.departments(), serialize=department_to_dict)


@router.get(
    "/regions",
    response=v1.Page[RegionOut],
    summary="Lister les régions",
    description="Toutes les régions, par nom, sur une seule page.",
    openapi_extra=v1.example(
        path="/api/v1/regions",
        response={
            "count": 18,
            "next": None,
            "previous": None,
            "results": [{"code": "84", "name": "Auvergne-Rhône-Alpes"}],
        },
    ),
)
def list_regions(request):
    return whole_list(selectors.regions(), serialize=region_to_dict)


v1.add_router("/", router)
