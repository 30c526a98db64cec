"""Published testimonials as open data (CSV and JSON), schema in docs/opendata/testimonials.md.

Anonymous testimonials carry no association name, slug or link to its page."""

import csv
import io
import json

from django.conf import settings
from django.http import Http404, HttpResponse

from ressourcerie.core.csvcells import safe_cell

from .models import ToolRole
from .selectors import published_testimonials, with_relations

LICENCE = "etalab-2.0"

COLUMNS = [
    "id",
    "titre",
    "association",
    "association_slug",
    "presentation",
    "secteur",
    "taille",
    "departement",
    "probleme",
    "demarche",
    "outils_avant",
    "outils_apres",
    "acteurs",
    "cout",
    "cout_montant",
    "temps_passe",
    "resultats",
    "difficultes",
    "conseils",
    "video",
    "exemple",
    "publie_le",
    "url",
]


def tools_of(testimonial) -> list[dict]:
    return [
        {"slug": link.tool.slug, "nom": link.tool.name, "role": link.role}
        for link in testimonial.tool_links.all()
    ]


def testimonial_record(testimonial, site_url="") -> dict:
    named = testimonial.is_named
    tools = tools_of(testimonial)
    return {
        "id": testimonial.pk,
        "titre": testimonial.title,
        "association": testimonial.organisation.name if named else "",
        "association_slug": testimonial.organisation.slug if named else "",
        "presentation": testimonial.author_label,
        "secteur": testimonial.sector,
        "taille": testimonial.members_band,
        "departement": testimonial.department.code if testimonial.department_id else "",
        "probleme": testimonial.problem,
        "demarche": testimonial.actions,
        "outils_avant": [t["slug"] for t in tools if t["role"] == ToolRole.BEFORE],
        "outils_apres": [t["slug"] for t in tools if t["role"] == ToolRole.AFTER],
        "acteurs": [a.slug for a in testimonial.actors.all()],
        "cout": testimonial.cost_note,
        "cout_montant": (
            str(testimonial.cost_amount) if testimonial.cost_amount is not None else ""
        ),
        "temps_passe": testimonial.time_spent,
        "resultats": testimonial.results,
        "difficultes": testimonial.difficulties,
        "conseils": testimonial.advice,
        "video": testimonial.video_url,
        "exemple": testimonial.is_example,
        "publie_le": testimonial.published_at.isoformat() if testimonial.published_at else "",
        "url": site_url + testimonial.get_absolute_url(),
    }


def export_response(fmt: str) -> HttpResponse:
    if fmt not in ("csv", "json"):
        raise Http404
    testimonials = with_relations(published_testimonials()).order_by("pk")
    records = [testimonial_record(t, settings.SITE_URL) for t in testimonials]
    if fmt == "json":
        body = json.dumps(
            {
                "licence": LICENCE,
                "schema": "docs/opendata/testimonials.md",
                "temoignages": records,
            },
            ensure_ascii=False,
            indent=1,
        )
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="temoignages.json"'
        return response
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for record in records:
        writer.writerow([safe_cell(record[c]) for c in COLUMNS])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="temoignages.csv"'
    return response
