"""Testimonials in the public API: published ones only, anonymous ones without names."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from ninja import Router, Schema

from ressourcerie.api import v1

from . import selectors
from .exports import testimonial_record, tools_of

router = Router(tags=["Témoignages"])


class ToolLinkOut(Schema):
    slug: str
    name: str
    role: str


class TestimonialOut(Schema):
    id: int
    title: str
    association: str
    presentation: str
    sector: str
    members_band: str
    department: str
    tools: list[ToolLinkOut]
    cost: str
    cost_amount: str
    time_spent: str
    example: bool
    published_at: str
    url: str


class TestimonialDetailOut(TestimonialOut):
    problem: str
    actions: str
    results: str
    difficulties: str
    advice: str
    actors: list[str]
    video: str


def to_dict(testimonial) -> dict:
    record = testimonial_record(testimonial, settings.SITE_URL)
    return {
        "id": testimonial.pk,
        "title": testimonial.title,
        "association": record["association"],
        "presentation": record["presentation"],
        "sector": testimonial.sector,
        "members_band": testimonial.members_band,
        "department": record["departement"],
        "tools": [
            {"slug": t["slug"], "name": t["nom"], "role": t["role"]} for t in tools_of(testimonial)
        ],
        "cost": testimonial.cost_note,
        "cost_amount": record["cout_montant"],
        "time_spent": testimonial.time_spent,
        "example": testimonial.is_example,
        "published_at": record["publie_le"],
        "url": record["url"],
    }


def to_detail(testimonial) -> dict:
    return {
        **to_dict(testimonial),
        "problem": testimonial.problem,
        "actions": testimonial.actions,
        "results": testimonial.results,
        "difficulties": testimonial.difficulties,
        "advice": testimonial.advice,
        "actors": [a.slug for a in testimonial.actors.all()],
        "video": testimonial.video_url,
    }


EXAMPLE = {
    "id": 12,
    "title": "Du Google Drive partagé à Nextcloud chez un CHATON",
    "association": "Les Crampons nantais",
    "presentation": "Les Crampons nantais",
    "sector": "sport",
    "members_band": "51-200",
    "department": "44",
    "tools": [
        {"slug": "google-drive", "name": "Google Drive", "role": "before"},
        {"slug": "nextcloud", "name": "Nextcloud", "role": "after"},
    ],
    "cost": "0 €, hébergement offert",
    "cost_amount": "0.00",
    "time_spent": "3 mois",
    "example": False,
    "published_at": "2026-10-01T09:00:00+00:00",
    "url": "https://ressourcerie.example.org/temoignages/12/",
}


@router.get(
    "/testimonials",
    response=v1.Page[TestimonialOut],
    summary="Lister les témoignages publiés",
    description=(
        "Les plus récents d'abord. Chaque témoignage liste ses outils avec leur rôle : "
        "`before` (utilisé avant) ou `after` (adopté). Les témoignages anonymes n'ont pas "
        "de nom d'association (`association` vide)."
    ),
    openapi_extra=v1.example(
        path="/api/v1/testimonials?page=1",
        response={"count": 1, "next": None, "previous": None, "results": [EXAMPLE]},
    ),
)
def list_testimonials(
    request,
    sector: str = "",
    tool: str = "",
    department: str = "",
    page: v1.PageNumber = 1,
    page_size: v1.PageSize = 20,
):
    filters = selectors.TestimonialFilters(
        sector=sector[:20], tool=tool[:80], department=department[:3]
    )
    return v1.paginate(
        request,
        selectors.with_relations(filters.apply(selectors.published_testimonials())),
        page=page,
        page_size=page_size,
        serialize=to_dict,
    )


@router.get(
    "/testimonials/{testimonial_id}",
    response=TestimonialDetailOut,
    summary="Un témoignage publié",
    description="Le récit complet (texte en Markdown), ses outils avant/après et ses acteurs.",
    openapi_extra=v1.example(
        path="/api/v1/testimonials/12",
        response={
            **EXAMPLE,
            "problem": "Nos documents étaient éparpillés…",
            "actions": "Nous avons ouvert un espace Nextcloud…",
            "results": "",
            "difficulties": "",
            "advice": "",
            "actors": ["pana-loire-atlantique"],
            "video": "",
        },
    ),
)
def get_testimonial(request, testimonial_id: int):
    testimonial = selectors.get_published(testimonial_id)
    if testimonial is None:
        raise v1.ApiError(404, _("Aucun témoignage publié n'a cet identifiant."))
    return to_detail(testimonial)


v1.add_router("/", router)
