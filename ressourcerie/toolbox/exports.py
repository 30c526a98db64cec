"""The catalogue as open data (CSV and JSON), schema in docs/opendata.md."""

import csv
import io
import json

from django.conf import settings
from django.http import HttpResponse

from ressourcerie.core.csvcells import safe_cell

from .selectors import ToolFilters, list_tools

LICENCE = "etalab-2.0"

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
    tools = list_tools(ToolFilters())
    records = [tool_record(t, settings.SITE_URL) for t in tools]
    if fmt == "json":
        body = json.dumps(
            {"licence": LICENCE, "schema": "docs/opendata.md#outils", "outils": records},
            ensure_ascii=False,
            indent=1,
        )
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="outils.json"'
        return response
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for record in records:
        writer.writerow([safe_cell(record[c]) for c in COLUMNS])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="outils.csv"'
    return response
