"""Toolbox endpoints of the public API: the catalogue, best answer first."""

from typing import Annotated

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from ninja import Path, Query, Router, Schema
from pydantic import BeforeValidator

from ressourcerie.api import v1

from . import selectors
from .exports import tool_record
from .models import Difficulty, Platform

router = Router(tags=["Outils"])

EmptyIsNone = BeforeValidator(lambda value: value or None)
Slug = Annotated[
    str, Path(pattern=r"^[-a-z0-9]+$", max_length=80, description="Adresse courte de l'outil.")
]


class ToolOut(Schema):
    name: str
    slug: str
    pitch: str
    licence: str
    free_software: bool
    url: str
    website: str
    price: str
    hosting: list[str]
    data_location: str
    difficulty: str
    platforms: list[str]
    needs: list[str]
    replaces: list[str]
    proprietary_reference: bool
    verified_on: str


class ToolDetailOut(ToolOut):
    description: str
    price_note: str
    rgpd_note: str
    accessibility_note: str
    sobriety_note: str
    alternatives: list[dict]


def tool_to_dict(tool) -> dict:
    record = tool_record(tool, settings.SITE_URL)
    return {
        "name": tool.name,
        "slug": tool.slug,
        "pitch": tool.pitch,
        "licence": tool.licence,
        "free_software": tool.is_free_software,
        "url": record["url"],
        "website": tool.website,
        "price": tool.price,
        "hosting": tool.hosting_list,
        "data_location": tool.data_location,
        "difficulty": tool.difficulty,
        "platforms": tool.platform_list,
        "needs": record["besoins"],
        "replaces": record["remplace"],
        "proprietary_reference": tool.proprietary_reference,
        "verified_on": record["verifie_le"],
    }


EXAMPLE = {
    "name": "Jitsi Meet",
    "slug": "jitsi-meet",
    "pitch": "Des réunions en vidéo depuis le navigateur, sans compte.",
    "licence": "Apache-2.0",
    "free_software": True,
    "url": "https://ressourcerie.example.org/outils/jitsi-meet/",
    "website": "https://jitsi.org/jitsi-meet/",
    "price": "gratuit",
    "hosting": ["editeur", "hebergeur-ethique", "auto-hebergeable"],
    "data_location": "ue",
    "difficulty": "debutant",
    "platforms": ["web", "android", "ios"],
    "needs": ["visioconference"],
    "replaces": ["zoom", "microsoft-teams"],
    "proprietary_reference": False,
    "verified_on": "2026-10-01",
}


@router.get(
    "/tools",
    response=v1.Page[ToolOut],
    summary="Chercher dans le catalogue d'outils",
    description=(
        "Avec `q`, la meilleure réponse d'abord (nom, outil remplacé, besoin, puis "
        "description ; « alternative à Zoom » renvoie les alternatives). Sans `q`, les "
        "logiciels libres d'abord puis par nom. Filtres combinables."
    ),
    openapi_extra=v1.example(
        path="/api/v1/tools?q=alternative%20%C3%A0%20zoom&free=true",
        response={"count": 1, "next": None, "previous": None, "results": [EXAMPLE]},
    ),
)
def list_tools(
    request,
    q: Annotated[str, Query("", max_length=200, description="Question ou mots-clés.")] = "",
    need: Annotated[
        str | None, EmptyIsNone, Query(None, max_length=80, description="Besoin (slug).")
    ] = None,
    free: Annotated[bool, Query(False, description="Logiciels libres uniquement.")] = False,
    free_for_associations: Annotated[
        bool, Query(False, description="Gratuit pour une association.")
    ] = False,
    eu: Annotated[
        bool, Query(False, description="Données en France, dans l'UE ou sur l'appareil.")
    ] = False,
    difficulty: Annotated[
        Difficulty | None, EmptyIsNone, Query(None, description="Prise en main.")
    ] = None,
    platform: Annotated[
        Platform | None, EmptyIsNone, Query(None, description="Plateforme.")
    ] = None,
    page: v1.PageNumber = 1,
    page_size: v1.PageSize = 20,
):
    filters = selectors.ToolFilters(
        need=need or "",
        free_software=free,
        free_for_associations=free_for_associations,
        eu_hosted=eu,
        difficulty=difficulty or "",
        platform=platform or "",
    )
    query = "".join(c for c in q if c.isprintable()).strip()
    tools = (
        selectors.search_tools(query, filters, limit=min(500, (page + 1) * page_size + 1)).tools
        if query
        else selectors.list_tools(filters)
    )
    return v1.paginate(request, tools, page=page, page_size=page_size, serialize=tool_to_dict)


@router.get(
    "/tools/{slug}",
    response=ToolDetailOut,
    summary="Fiche d'un outil",
    description="Tous les critères d'un outil, et pour un outil propriétaire ses alternatives.",
    openapi_extra=v1.example(
        path="/api/v1/tools/jitsi-meet",
        response={
            **EXAMPLE,
            "description": "Jitsi Meet permet…",
            "price_note": "",
            "rgpd_note": "Aucun compte requis.",
            "accessibility_note": "",
            "sobriety_note": "",
            "alternatives": [],
        },
    ),
)
def get_tool(request, slug: Slug):
    tool = selectors.get_tool(slug)
    if tool is None:
        raise v1.ApiError(404, _("Aucun outil n'a cette adresse courte."))
    return {
        **tool_to_dict(tool),
        "description": tool.description,
        "price_note": tool.price_note,
        "rgpd_note": tool.rgpd_note,
        "accessibility_note": tool.accessibility_note,
        "sobriety_note": tool.sobriety_note,
        "alternatives": [
            {"slug": r.tool.slug, "name": r.tool.name, "reason": r.reason}
            for r in selectors.alternatives_to(tool)
        ],
    }


v1.add_router("/", router)
