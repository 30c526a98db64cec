"""Published testimonials as open data (CSV and JSON), schema in docs/opendata/testimonials.md.

Anonymous testimonials carry no association name, slug or link to its page."""

from django.conf import settings
from django.http import Http404, HttpResponse

from ressourcerie.core import opendata

from .models import ToolRole
from .selectors import published_testimonials, with_relations

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
    """Published testimonials as ``temoignages.csv`` or ``temoignages.json``."""
    if fmt not in opendata.FORMATS:
        raise Http404
    testimonials = with_relations(published_testimonials()).order_by("pk")
    return opendata.records_response(
        fmt,
        name="temoignages",
        schema="docs/opendata/testimonials.md",
        columns=COLUMNS,
        records=[testimonial_record(t, settings.SITE_URL) for t in testimonials],
    )
