"""The catalogue as open data (CSV and JSON), schema in docs/opendata.md."""

from django.conf import settings
from django.http import HttpResponse

from ressourcerie.core import opendata

from .selectors import ToolFilters, list_tools

COLUMNS = [
    "slug",
    "nom",
    "resume",
    "site_web",
    "licence",
    "logiciel_libre",
    "prix",
    "precision_prix",
    "hebergement",
    "localisation_donnees",
    "difficulte",
    "plateformes",
    "langues",
    "besoins",
    "remplace",
    "outil_proprietaire_de_reference",
    "verifie_le",
    "url",
]


def tool_record(tool, site_url="") -> dict:
    return {
        "slug": tool.slug,
        "nom": tool.name,
        "resume": tool.pitch,
        "site_web": tool.website,
        "licence": tool.licence,
        "logiciel_libre": tool.is_free_software,
        "prix": tool.price,
        "precision_prix": tool.price_note,
        "hebergement": tool.hosting_list,
        "localisation_donnees": tool.data_location,
        "difficulte": tool.difficulty,
        "plateformes": tool.platform_list,
        "langues": tool.language_list,
        "besoins": [n.slug for n in tool.needs.all()],
        "remplace": [r.replaced.slug for r in tool.replacements.all()],
        "outil_proprietaire_de_reference": tool.proprietary_reference,
        "verifie_le": tool.verified_on.isoformat() if tool.verified_on else "",
        "url": site_url + tool.get_absolute_url(),
    }


def catalogue_response(fmt: str) -> HttpResponse:
    """The published catalogue as ``outils.csv`` or ``outils.json``."""
    tools = list_tools(ToolFilters())
    return opendata.records_response(
        fmt,
        name="outils",
        schema="docs/opendata.md#outils",
        columns=COLUMNS,
        records=[tool_record(t, settings.SITE_URL) for t in tools],
    )
