"""Associations and support structures: public profiles, and the members' own edits."""

from typing import Annotated

from django.utils.translation import gettext_lazy as _
from ninja import Path, Query, Router
from pydantic import BeforeValidator

from ressourcerie.core.models.organisations import OrganisationKind, Sector
from ressourcerie.core.organisations.services import OrganisationError
from ressourcerie.core.permissions import can_edit_organisation

from . import selectors, services, v1
from .errors import ApiError, FieldErrors
from .pagination import DEFAULT_PAGE_SIZE
from .schemas import OrganisationOut, OrganisationPatch, organisation_to_dict

router = Router(tags=["Organisations"])

# "?sector=" (an empty select in a form) means no filter, not an unknown sector.
EmptyIsNone = BeforeValidator(lambda value: value or None)

Slug = Annotated[
    str,
    Path(
        pattern=r"^[-a-zA-Z0-9_]+$",
        max_length=220,
        description="Adresse courte (slug) de l'organisation.",
    ),
]

EXAMPLE = {
    "slug": "les-amis-du-jardin",
    "name": "Les Amis du jardin",
    "kind": "association",
    "rna": "W442000123",
    "siren": "",
    "commune": {"insee": "44109", "name": "Nantes"},
    "department": {"code": "44", "name": "Loire-Atlantique"},
    "sector": "environment",
    "members_band": "11-50",
    "budget_band": "0-10k",
    "description": "Jardins partagés et ateliers de compostage.",
    "website": "https://amis-du-jardin.example.org",
    "public_email": "contact@amis-du-jardin.example.org",
    "verified": True,
    "updated_at": "2025-03-14T10:12:00+00:00",
}


def _get(slug: str):
    organisation = selectors.organisation_by_slug(slug)
    if organisation is None:
        raise ApiError(404, _("Aucune organisation n'a cette adresse courte."))
    return organisation


@router.get(
    "/organisations",
    response=v1.Page[OrganisationOut],
    summary="Lister les organisations",
    description=(
        "Associations et structures d'accompagnement, par nom. Filtres combinables ; "
        "pagination standard (page, page_size)."
    ),
    openapi_extra=v1.example(
        path="/api/v1/organisations?department=44&sector=environment",
        response={
            "count": 1,
            "next": None,
            "previous": None,
            "results": [EXAMPLE],
        },
    ),
)
def list_organisations(
    request,
    kind: Annotated[
        OrganisationKind | None, EmptyIsNone, Query(None, description="Type d'organisation.")
    ] = None,
    department: Annotated[
        str | None,
        EmptyIsNone,
        # Empty means "any department" (EmptyIsNone): the documented pattern allows it.
        Query(None, pattern=r"^(\d{2}|2[AB]|97\d)?$", description="Code du département (« 44 »)."),
    ] = None,
    sector: Annotated[
        Sector | None, EmptyIsNone, Query(None, description="Secteur d'activité.")
    ] = None,
    page: v1.PageNumber = 1,
    page_size: v1.PageSize = DEFAULT_PAGE_SIZE,
):
    queryset = selectors.organisations(
        kind=kind or "", department=department or "", sector=sector or ""
    )
    return v1.paginate(
        request, queryset, page=page, page_size=page_size, serialize=organisation_to_dict
    )


@router.get(
    "/organisations/{slug}",
    response=OrganisationOut,
    summary="Une organisation",
    openapi_extra=v1.example(path="/api/v1/organisations/les-amis-du-jardin", response=EXAMPLE),
)
def get_organisation(request, slug: Slug):
    return organisation_to_dict(_get(slug))


@router.patch(
    "/organisations/{slug}",
    response=OrganisationOut,
    auth=v1.token_auth,
    summary="Modifier la présentation d'une organisation",
    description=(
        "Réservé aux membres et éditeurs de l'organisation (et à l'équipe de la plateforme). "
        "Seuls les champs envoyés changent  ; description, website et public_email "
        "sont modifiables, une valeur vide efface le champ. Renvoie l'organisation modifiée. "
        "Sur une organisation vérifiée, un changement de website ou de public_email passe par "
        "la modération : il est réservé aux membres et éditeurs (403 pour un autre rôle) et la "
        "réponse garde les valeurs vérifiées jusqu'à ce que l'équipe l'accepte."
    ),
    openapi_extra=v1.example(
        path="/api/v1/organisations/les-amis-du-jardin",
        body={"website": "https://amis-du-jardin.example.org"},
        response=EXAMPLE,
        errors=[422],
    ),
)
def update_organisation(request, slug: Slug, payload: OrganisationPatch):
    organisation = _get(slug)
    if not can_edit_organisation(request.auth.user, organisation):
        raise ApiError(403, _("Seuls les membres de cette organisation peuvent la modifier."))
    try:
        organisation, errors = services.update_organisation_public_profile(
            organisation=organisation,
            by=request.auth.user,
            changes=payload.dict(exclude_unset=True),
        )
    except OrganisationError as error:
        raise ApiError(403, error.message) from None
    if errors:
        # The values fit the document but the site's rules refuse them (as a place edit).
        raise FieldErrors(errors, status=422)
    return organisation_to_dict(organisation)


v1.add_router("/", router)
