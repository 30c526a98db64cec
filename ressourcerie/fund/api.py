"""Fund endpoints of the public API: decisions (SCDL « Subventions » v2.1.1) and calls
(« Dispositifs d'aides » v0.2.0 as CSV, and JSON). Schemas: docs/opendata/fund.md."""

from django.conf import settings
from django.http import HttpResponse
from ninja import Router, Schema

from ressourcerie.api import v1
from ressourcerie.core import opendata

from . import exports
from .selectors import call_pages, support_impact

router = Router(tags=["Fonds d'accompagnement"])


def _csv_response(body: str, filename: str, schema: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Link"] = f'<{exports.LICENCE["path"]}>; rel="license", <{schema}>; rel="describedby"'
    response["X-Licence"] = exports.LICENCE["name"]
    return response


@router.get(
    "/fund/decisions.csv",
    summary="Décisions du fonds au format SCDL « Subventions » v2.1.1",
    description=(
        "Une ligne par dossier accepté (avec ou sans conditions). Les jours d'accompagnement "
        "sont valorisés à la valeur d'une journée fixée par l'appel (aide en nature), les "
        "euros sont une aide en numéraire ; `montant` est leur somme. Aucune donnée "
        "personnelle. Licence etalab-2.0."
    ),
    openapi_extra=v1.example(
        path="/api/v1/fund/decisions.csv",
        response="idSubvention,nomAttribuant,idAttribuant,...\r\n2026-K7P4QM,Région,...",
    ),
)
def decisions_csv(request):
    return _csv_response(exports.decisions_csv(), "fonds-decisions-scdl.csv", exports.SCDL_SCHEMA)


@router.get(
    "/fund/calls.csv",
    summary="Appels du fonds au format « Dispositifs d'aides » v0.2.0",
    description=(
        "Les appels publiés, ouverts et clos, pour les catalogues d'aides (cibles : "
        "associations ; éligibilité géographique en codes COG). Licence etalab-2.0."
    ),
    openapi_extra=v1.example(
        path="/api/v1/fund/calls.csv",
        response="id,titre,promesse,description,...\r\n6f1c…,Numérique et ruralité,...",
    ),
)
def calls_csv(request):
    return _csv_response(
        exports.calls_csv(settings.SITE_URL),
        "fonds-appels-dispositifs-aides.csv",
        exports.AIDS_SCHEMA,
    )


class PriorityOut(Schema):
    label: str
    points: int


class CriterionOut(Schema):
    title: str
    weight: int
    levels: list[str]


class CallOut(Schema):
    id: str
    slug: str
    title: str
    summary: str
    status: str
    url: str
    opens_on: str
    closes_on: str
    budget_euros: int
    budget_days: float
    day_value_euros: int
    departments: list[str]
    eligibility: list[str]
    formats: list[str]
    priorities: list[PriorityOut]
    documents: list[str]
    review_grid: list[CriterionOut]


EXAMPLE = {
    "id": "0b1d6a36-3f7a-5c1e-9d53-2b0f8f2f8d11",
    "slug": "numerique-et-ruralite",
    "title": "Numérique et ruralité",
    "summary": "Pour les associations des petites communes.",
    "status": "ouvert",
    "url": "https://ressourcerie.example.org/fonds/appels/numerique-et-ruralite/",
    "opens_on": "2027-01-04",
    "closes_on": "2027-03-31",
    "budget_euros": 10000,
    "budget_days": 20.0,
    "day_value_euros": 450,
    "departments": ["37", "45"],
    "eligibility": ["L'appel s'adresse aux associations loi 1901."],
    "formats": ["Accompagnement individuel : jusqu'à 5 jours par association."],
    "priorities": [{"label": "Communes de moins de 3 500 habitants", "points": 3}],
    "documents": ["Statuts"],
    "review_grid": [{"title": "Pertinence", "weight": 2, "levels": []}],
}


def call_to_dict(call) -> dict:
    return {
        "id": exports.call_uuid(call),
        "slug": call.slug,
        "title": call.title,
        "summary": call.summary,
        "status": call.status,
        "url": settings.SITE_URL + call.get_absolute_url(),
        "opens_on": call.opens_on.isoformat(),
        "closes_on": call.closes_on.isoformat(),
        "budget_euros": call.budget_euros,
        "budget_days": float(call.budget_days),
        "day_value_euros": call.day_value_euros,
        "departments": [d.code for d in call.departments.all()],
        "eligibility": call_pages.rules_in_french(call),
        "formats": call_pages.formats_in_french(call),
        "priorities": [{"label": p.label, "points": p.weight} for p in call.priorities.all()],
        "documents": [d.label for d in call.documents.all()],
        "review_grid": [
            {"title": c.title, "weight": c.weight, "levels": list(c.levels)}
            for c in call.criteria.all()
        ],
    }


@router.get(
    "/fund/calls",
    response=v1.Page[CallOut],
    summary="Appels du fonds d'accompagnement",
    description=(
        "Les appels publiés (à venir, ouverts, clos) avec leur budget, leurs règles "
        "d'éligibilité en français, leurs orientations prioritaires et leur grille d'évaluation."
    ),
    openapi_extra=v1.example(
        path="/api/v1/fund/calls",
        response={"count": 1, "next": None, "previous": None, "results": [EXAMPLE]},
    ),
)
def list_calls(request, page: v1.PageNumber = 1, page_size: v1.PageSize = 20):
    return v1.paginate(
        request, exports.public_calls(), page=page, page_size=page_size, serialize=call_to_dict
    )


class FundImpactRowOut(Schema):
    appel: str
    appel_titre: str
    axe: str
    axe_libelle: str
    accompagnements_termines: int | None
    score_moyen_avant: float | None
    score_moyen_apres: float | None


class FundImpactOut(Schema):
    licence: str
    seuil: int
    impact: list[FundImpactRowOut]


IMPACT_EXAMPLE = {
    "appel": "numerique-et-ruralite",
    "appel_titre": "Numérique et ruralité",
    "axe": "securite",
    "axe_libelle": "Sécurité",
    "accompagnements_termines": 6,
    "score_moyen_avant": 31.5,
    "score_moyen_apres": 52.0,
}
IMPACT_DESCRIPTION = (
    "Par appel et par axe du diagnostic : le nombre d'accompagnements terminés mesurés par un "
    "second autodiagnostic, et les scores moyens (sur 100) au dépôt du dossier et après "
    "l'accompagnement. Une ligne qui repose sur moins de `seuil` accompagnements (5 par "
    "défaut) garde son appel et son axe, ses trois chiffres sont supprimés (vides). Aucune "
    "donnée personnelle. Licence etalab-2.0."
)


@router.get(
    "/fund/impact",
    response=FundImpactOut,
    summary="Impact des accompagnements du fonds, par appel et par axe",
    description=IMPACT_DESCRIPTION,
    openapi_extra=v1.example(
        path="/api/v1/fund/impact",
        response={"licence": "etalab-2.0", "seuil": 5, "impact": [IMPACT_EXAMPLE]},
    ),
)
def impact(request):
    return {
        "licence": opendata.LICENCE_ID,
        "seuil": support_impact.min_count(),
        "impact": support_impact.impact_records(),
    }


@router.get(
    "/fund/impact.csv",
    summary="Impact des accompagnements du fonds (CSV)",
    description=IMPACT_DESCRIPTION,
    openapi_extra=v1.example(
        path="/api/v1/fund/impact.csv",
        response=(
            ",".join(support_impact.IMPACT_COLUMNS)
            + "\r\nnumerique-et-ruralite,Numérique et ruralité,securite,Sécurité,6,31.5,52.0"
        ),
    ),
)
def impact_csv(request):
    response = opendata.records_response(
        "csv",
        name="fonds-impact",
        schema="/api/v1/docs#fund",
        columns=support_impact.IMPACT_COLUMNS,
        records=[
            {k: ("" if v is None else v) for k, v in record.items()}
            for record in support_impact.impact_records()
        ],
    )
    response["X-Licence"] = opendata.LICENCE_ID
    return response


v1.add_router("/", router)
