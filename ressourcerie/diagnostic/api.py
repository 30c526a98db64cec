"""Self-diagnostic API: partners embed the published questionnaire and get scores back.

Submitting computes scores, the action plan and recommendations and stores nothing (no personal data, no
spam in the aggregates); the web pages are the way to keep and resume a diagnostic.
"""

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from ressourcerie.api import v1
from ressourcerie.api.auth import RateLimited

from . import engine, plan, recommendations, selectors
from .models import QuestionKind
from .ratelimits import LIMITS

router = Router(tags=["Autodiagnostic"])


class OptionOut(Schema):
    id: int
    key: str
    label: str
    score: int
    unknown: bool


class QuestionOut(Schema):
    id: int
    key: str
    text: str
    help: str
    kind: str
    weight: int
    required: bool
    scale: dict | None = None
    condition: dict | None = None
    options: list[OptionOut]


class AxisOut(Schema):
    key: str
    name: str
    description: str
    questions: list[QuestionOut]


class QuestionnaireOut(Schema):
    version: int
    title: str
    axes: list[AxisOut]


class AnswerIn(Schema):
    options: list[int] = Field(default_factory=list, max_length=50)
    value: int | None = None


class SubmissionIn(Schema):
    version: int
    answers: dict[str, AnswerIn] = Field(default_factory=dict, max_length=500)


class AxisScoreOut(Schema):
    key: str
    name: str
    score: int | None
    unknown_count: int
    priority: bool
    strength: bool


class RecommendationOut(Schema):
    kind: str
    title: str
    url: str
    text: str
    why: str


class EffortOut(Schema):
    time: str
    money: str
    skills: str


class ResourceOut(Schema):
    kind: str
    title: str
    url: str
    why: str


class ActionOut(Schema):
    axis: str
    title: str
    why: str
    effort: EffortOut
    starter: bool
    resources: list[ResourceOut]


class ResultOut(Schema):
    version: int
    overall: int | None
    axes: list[AxisScoreOut]
    plan: list[ActionOut]
    recommendations: list[RecommendationOut]


def action_to_dict(action: plan.Action) -> dict:
    return {
        "axis": action.axis_key,
        "title": action.title,
        "why": action.why,
        "effort": action.effort.as_dict(),
        "starter": action.starter,
        "resources": [
            {"kind": r.kind, "title": r.title, "url": r.url, "why": r.why} for r in action.resources
        ],
    }


def _question_to_dict(structure: engine.Structure, q: engine.QuestionData) -> dict:
    return {
        "id": q.id,
        "key": q.key,
        "text": q.text,
        "help": q.help_text,
        "kind": q.kind,
        "weight": q.weight,
        "required": q.required,
        "scale": (
            {
                "min": q.scale_min,
                "max": q.scale_max,
                "min_label": q.scale_min_label,
                "max_label": q.scale_max_label,
            }
            if q.kind == QuestionKind.SCALE
            else None
        ),
        "condition": (
            {"question": q.condition_question_id, "options": sorted(q.condition_option_ids)}
            if q.condition_question_id
            else None
        ),
        "options": [
            {"id": o.id, "key": o.key, "label": o.label, "score": o.score, "unknown": o.is_unknown}
            for o in q.options
        ],
    }


EXAMPLE_QUESTIONNAIRE = {
    "version": 1,
    "title": "Autodiagnostic numérique des associations",
    "axes": [
        {
            "key": "securite",
            "name": "Sécurité et protection des données (RGPD)",
            "description": "Protéger les comptes, les fichiers et les données personnelles.",
            "questions": [
                {
                    "id": 21,
                    "key": "sauvegarde",
                    "text": "Faites-vous des sauvegardes des fichiers importants ?",
                    "help": "Une sauvegarde est une copie rangée ailleurs.",
                    "kind": "single",
                    "weight": 1,
                    "required": True,
                    "scale": None,
                    "condition": None,
                    "options": [
                        {
                            "id": 80,
                            "key": "auto",
                            "label": "Oui, automatiquement",
                            "score": 100,
                            "unknown": False,
                        },
                        {"id": 82, "key": "non", "label": "Non", "score": 0, "unknown": False},
                        {
                            "id": 83,
                            "key": "nsp",
                            "label": "Je ne sais pas",
                            "score": 0,
                            "unknown": True,
                        },
                    ],
                }
            ],
        }
    ],
}


@router.get(
    "/diagnostic/questionnaire",
    response=QuestionnaireOut,
    summary="Le questionnaire d'autodiagnostic publié",
    description=(
        "La version publiée : ses axes (thèmes), chacun avec ses questions et leurs choix. "
        "Une question `condition` n'est posée que si la réponse à `condition.question` contient "
        "l'un des choix `condition.options`."
    ),
    openapi_extra=v1.example(
        path="/api/v1/diagnostic/questionnaire", response=EXAMPLE_QUESTIONNAIRE, errors=[404]
    ),
)
def get_questionnaire(request):
    questionnaire = selectors.published_questionnaire()
    if questionnaire is None:
        raise v1.ApiError(404, _("Aucun questionnaire n'est publié."))
    structure = selectors.structure(questionnaire)
    return {
        "version": structure.version,
        "title": structure.title,
        "axes": [
            {
                "key": a.key,
                "name": a.name,
                "description": a.description,
                "questions": [_question_to_dict(structure, q) for q in a.questions],
            }
            for a in structure.axes
        ],
    }


@router.post(
    "/diagnostic/responses",
    response=ResultOut,
    summary="Calculer les scores, le plan d'action et les recommandations d'un diagnostic",
    description=(
        "Envoyez les réponses par identifiant de question : `options` (identifiants de choix) "
        "pour un choix unique ou multiple, `value` pour une échelle. Rien n'est enregistré. "
        "`plan` : au plus 10 actions, la plus urgente d'abord (thème le plus faible, puis "
        "action la moins coûteuse), les trois premières marquées `starter`, chacune avec son "
        "thème, son effort, sa raison et ses ressources. "
        "Les erreurs sont données par question (`answers.<id>`). Limité à 30 envois par "
        "heure et par adresse IP."
    ),
    openapi_extra=v1.example(
        path="/api/v1/diagnostic/responses",
        errors=[404, 422],  # no questionnaire published; answers it does not accept
        body={"version": 1, "answers": {"21": {"options": [82]}, "4": {"value": 3}}},
        response={
            "version": 1,
            "overall": 38,
            "axes": [
                {
                    "key": "securite",
                    "name": "Sécurité et protection des données (RGPD)",
                    "score": 25,
                    "unknown_count": 0,
                    "priority": True,
                    "strength": False,
                }
            ],
            "plan": [
                {
                    "axis": "securite",
                    "title": "Mettre en place une sauvegarde automatique",
                    "why": "Parce que vous avez répondu « Non » à « Faites-vous des sauvegardes des fichiers importants ? ».",
                    "effort": {
                        "time": "2 heures, puis un contrôle par trimestre",
                        "money": "Moins de 100 € (un disque)",
                        "skills": "Savoir installer un logiciel",
                    },
                    "starter": True,
                    "resources": [
                        {
                            "kind": "guide",
                            "title": "Sauvegarder ses fichiers avec la règle 3-2-1",
                            "url": "/outils/guides/sauvegarder-regle-3-2-1/",
                            "why": "Parce que vous avez répondu « Non » à « Faites-vous des sauvegardes des fichiers importants ? ».",
                        }
                    ],
                }
            ],
            "recommendations": [
                {
                    "kind": "advice",
                    "title": "Mettre en place une sauvegarde automatique",
                    "url": "",
                    "text": "Appliquez la règle du 3-2-1…",
                    "why": "Parce que vous avez répondu « Non » à « Faites-vous des sauvegardes des fichiers importants ? ».",
                }
            ],
        },
    ),
)
def submit_response(request, payload: SubmissionIn):
    if wait := LIMITS.check(client=("api_ip", request)):
        raise RateLimited(wait)
    questionnaire = selectors.published_questionnaire()
    if questionnaire is None:
        raise v1.ApiError(404, _("Aucun questionnaire n'est publié."))
    structure = selectors.structure(questionnaire)
    if payload.version != structure.version:
        raise v1.FieldErrors(
            {
                "version": [
                    _(
                        "Ces réponses sont pour la version %(sent)s ; la version publiée est la "
                        "%(current)s. Rechargez le questionnaire."
                    )
                    % {"sent": payload.version, "current": structure.version}
                ]
            },
            status=422,  # fits the document; the published version is known only at run time
        )
    errors: dict[str, list[str]] = {}
    raw: dict[int, AnswerIn] = {}
    for key, answer in payload.answers.items():
        qid = int(key) if key.isdigit() and len(key) < 12 else None
        if qid is None or qid not in structure.questions:
            errors[f"answers.{key}"] = [_("Cette question n'existe pas dans cette version.")]
            continue
        raw[qid] = answer

    def values_for(question):
        answer = raw.get(question.id)
        if answer is None:
            return []
        if question.kind == QuestionKind.SCALE:
            if answer.options:
                return ["x"]  # options on a scale: refused with the scale's message
            return [] if answer.value is None else [answer.value]
        if answer.value is not None:
            return ["x"]
        return list(answer.options)

    answers, parse_errors = engine.clean_answers(structure.questions.values(), values_for)
    missing = engine.missing_required(structure, structure.questions.values(), answers)
    for qid, message in (missing | parse_errors).items():
        errors[f"answers.{qid}"] = [message]
    if errors:
        # Question and choice ids fit the document but not the published questionnaire.
        raise v1.FieldErrors(errors, status=422)
    answers = engine.visible_answers(structure, answers)
    scores = engine.compute_scores(structure, answers)
    context = recommendations.Context(structure=structure, scores=scores, answers=answers)
    rules = selectors.rules_of(questionnaire)
    groups = recommendations.recommend(rules, context)
    actions = plan.build_plan(
        rules,
        context,
        keep_resource=selectors.resources_at_level(selectors.association_level(scores)),
    ).actions
    return {
        "version": structure.version,
        "overall": scores.overall,
        "axes": [
            {
                "key": a.key,
                "name": a.name,
                "score": a.score,
                "unknown_count": a.unknown_count,
                "priority": a.is_priority,
                "strength": a.is_strength,
            }
            for a in scores.axes
        ],
        "plan": [action_to_dict(a) for a in actions],
        "recommendations": [
            {"kind": i.kind, "title": i.title, "url": i.url, "text": i.text, "why": i.why}
            for g in groups
            for i in g.items
        ],
    }


v1.add_router("/", router)
