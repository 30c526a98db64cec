"""RGPD: a person's diagnostics in their export; on erasure they become anonymous
(they still count in the anonymous aggregates, nothing links them to the person)."""

from django.db.models import Prefetch

from ressourcerie.accounts.personal_data import KEPT, Held, declare

from .models import Answer
from .services import detach_responses_of


def _answer_text(answer) -> str:
    labels = [str(o.label) for o in answer.options.all()]
    if labels:
        return ", ".join(labels)
    return "" if answer.value is None else str(answer.value)


def export(user):
    answers = Answer.objects.select_related("question").prefetch_related("options")
    responses = user.diagnostic_responses.select_related(
        "questionnaire", "organisation"
    ).prefetch_related(Prefetch("answers", queryset=answers.order_by("question__order", "pk")))
    return [
        {
            "id": r.pk,
            "version": r.questionnaire.version,
            "association": r.organisation.name if r.organisation_id else None,
            "commence_le": r.created_at,
            "termine_le": r.completed_at,
            "score_global": r.overall_score,
            "scores_par_axe": dict(r.axis_scores.values_list("axis_key", "score")),
            "reponses": [
                {"question": str(a.question.text), "reponse": _answer_text(a)}
                for a in r.answers.all()
            ],
        }
        for r in responses
    ]


def erase(user):
    detach_responses_of(user=user)


def register() -> None:
    declare(
        "autodiagnostic",
        export=export,
        erase=erase,
        fields=[
            Held(
                "diagnostic.DiagnosticResponse",
                ["user"],
                KEPT,
                "answers and scores stay anonymous (aggregates); the link to the person goes",
            )
        ],
    )
