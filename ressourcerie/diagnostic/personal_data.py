"""RGPD: a person's diagnostics in their export; on erasure they become anonymous
(they still count in the anonymous aggregates, nothing links them to the person)."""

from django.db.models import Prefetch

from ressourcerie.accounts.personal_data import BLANKED, KEPT, Held, declare

from .models import Answer, PlanActionTransition
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
            "principal_probleme_ecrit": r.problem_text,
            "scores_par_axe": dict(r.axis_scores.values_list("axis_key", "score")),
            "reponses": [
                {"question": str(a.question.text), "reponse": _answer_text(a)}
                for a in r.answers.all()
            ],
        }
        for r in responses
    ]


def export_marks(user):
    """The statuses the person gave to actions of an association's plan."""
    marks = PlanActionTransition.objects.filter(actor=user).select_related("action__organisation")
    return [
        {
            "association": m.action.organisation.name,
            "action": m.action.title,
            "avant": m.from_status,
            "apres": m.to_status,
            "le": m.at,
        }
        for m in marks.order_by("at", "pk")
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
            ),
            Held(
                "diagnostic.DiagnosticResponse",
                ["problem_text"],
                BLANKED,
                "the person's own words; also deleted with the response (purge)",
            ),
        ],
    )
    declare(
        "plan_d_action",
        export=export_marks,
        # No erasure step: the foreign keys below are nulled with the account (SET_NULL).
        fields=[
            Held(
                "diagnostic.PlanAction",
                ["status_changed_by"],
                KEPT,
                "the association's plan stays for its other members; who marked it is nulled",
            ),
            Held(
                "diagnostic.PlanActionTransition",
                ["actor"],
                KEPT,
                "the plan's history stays for the association; who marked it is nulled",
            ),
        ],
    )
