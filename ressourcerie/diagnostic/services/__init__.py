"""Writes of the self-diagnostic: responses, answers, completion, versions, seed loading."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ressourcerie.core import emails
from ressourcerie.core.models import Department
from ressourcerie.core.permissions import can_moderate
from ressourcerie.core.services import queue_email
from ressourcerie.core.tokens import new_token

from .. import engine, selectors
from ..errors import DiagnosticError, QuestionnaireDataError
from ..models import (
    QUESTIONNAIRE_MACHINE,
    Answer,
    Axis,
    AxisScore,
    DiagnosticResponse,
    Option,
    Question,
    Questionnaire,
    QuestionnaireStatus,
    QuestionnaireTransition,
    RecommendationRule,
)
from .plans import (  # noqa: E402, F401 - the plan's writes, part of this module's API
    PROBLEM_MAX,
    clean_problem_text,
    keep_plan,
    mark_plan_action,
    save_problem_text,
)

logger = logging.getLogger(__name__)


@transaction.atomic
def start_response(
    *,
    questionnaire: Questionnaire,
    user=None,
    organisation=None,
    members_band: str = "",
    sector: str = "",
    department: Department | None = None,
    previous: DiagnosticResponse | None = None,
) -> tuple[DiagnosticResponse, str]:
    """A new response and its raw resume token (shown once to the person, never stored)."""
    if organisation is not None:
        members_band = members_band or organisation.members_band
        sector = sector or organisation.sector
        if department is None and organisation.commune_id:
            department = organisation.commune.department
    raw, digest = new_token()
    response = DiagnosticResponse.objects.create(
        questionnaire=questionnaire,
        token_hash=digest,
        user=user if user is not None and user.is_authenticated else None,
        organisation=organisation,
        previous=previous,
        members_band=members_band,
        sector=sector,
        department=department,
    )
    return response, raw


@transaction.atomic
def save_answers(
    *,
    response: DiagnosticResponse,
    structure: engine.Structure,
    questions: list[engine.QuestionData],
    answers: engine.Answers,
    step: int | None = None,
) -> engine.Answers:
    """Replace the answers to ``questions`` with ``answers``, then drop every answer whose
    question is no longer shown. Returns all the response's answers."""
    page_ids = {q.id for q in questions}
    Answer.objects.filter(response=response, question_id__in=page_ids - set(answers)).delete()
    for question_id, value in answers.items():
        if question_id not in page_ids:
            continue
        answer, _created = Answer.objects.update_or_create(
            response=response, question_id=question_id, defaults={"value": value.value}
        )
        answer.options.set(value.option_ids)
    current = selectors.answers_of(response)
    visible = engine.visible_answers(structure, current)
    hidden = set(current) - set(visible)
    if hidden:
        Answer.objects.filter(response=response, question_id__in=hidden).delete()
    # Saved even when the step is unchanged: updated_at is the last activity, by which
    # abandoned diagnostics are purged (purge_abandoned_responses).
    if step is not None:
        response.current_step = step
    response.save(update_fields=["current_step", "updated_at"])
    return visible


@transaction.atomic
def complete_response(
    *, response: DiagnosticResponse, structure: engine.Structure
) -> engine.Scores:
    """Compute and store the scores (also after a change on an already completed response)."""
    scores = engine.compute_scores(structure, selectors.answers_of(response))
    axis_ids = {a.key: a.id for a in structure.axes}
    AxisScore.objects.filter(response=response).delete()
    AxisScore.objects.bulk_create(
        AxisScore(
            response=response,
            axis_id=axis_ids[a.key],
            axis_key=a.key,
            score=a.score,
            unknown_count=a.unknown_count,
            is_priority=a.is_priority,
        )
        for a in scores.axes
        if a.score is not None
    )
    response.overall_score = scores.overall
    response.completed_at = response.completed_at or timezone.now()
    response.save(update_fields=["overall_score", "completed_at", "updated_at"])
    if response.organisation_id:
        answers = selectors.answers_of(response)
        keep_plan(
            response=response,
            plan=selectors.plan_for(response, structure, scores, answers, resources=False),
        )
    return scores


def start_retake(*, previous: DiagnosticResponse, questionnaire: Questionnaire, user=None):
    """Take the diagnostic again: same profile, linked to the previous one for before/after."""
    return start_response(
        questionnaire=questionnaire,
        user=user if user is not None and user.is_authenticated else previous.user,
        organisation=previous.organisation,
        members_band=previous.members_band,
        sector=previous.sector,
        department=previous.department,
        previous=previous,
    )


def claim_session_response(*, request, user) -> DiagnosticResponse | None:
    """At sign-in, give the person the anonymous diagnostic their session was taking.

    Never raises: a stale or odd session must not stop anyone signing in. A response that
    already belongs to someone is left alone, and so is its association (left blank on
    purpose, or chosen by the person: attaching one would show the scores to its members).
    """
    if request is None or not getattr(user, "is_authenticated", False):
        return None
    try:
        # A savepoint: a database error here must not spoil the sign-in's own transaction.
        with transaction.atomic():
            response, _token = selectors.session_response(getattr(request, "session", None))
            if response is None or response.user_id is not None:
                return None
            # Conditional: if someone claimed it meanwhile, nothing is taken from them.
            claimed = DiagnosticResponse.objects.filter(pk=response.pk, user__isnull=True).update(
                user=user, updated_at=timezone.now()
            )
    except Exception:
        logger.exception("diagnostic: could not attach the session's response at sign-in")
        return None
    if not claimed:
        return None
    response.user = user
    return response


@transaction.atomic
def rotate_token(*, response: DiagnosticResponse) -> str:
    """A new resume token for ``response`` (the old private link stops working): the raw
    token is never stored, so bringing a response back into a session needs a fresh one."""
    raw, digest = new_token()
    response.token_hash = digest
    response.save(update_fields=["token_hash", "updated_at"])
    return raw


def purge_abandoned_responses(*, days: int, now=None, dry_run: bool = False) -> int:
    """Delete diagnostics never finished and untouched for ``days`` days, with their answers
    (the privacy page promises it); completed ones are never touched. Returns how many."""
    if days < 1:
        raise ValueError("days must be at least 1")
    cutoff = (now or timezone.now()) - timedelta(days=days)
    abandoned = DiagnosticResponse.objects.filter(completed_at__isnull=True, updated_at__lt=cutoff)
    if dry_run:
        return abandoned.count()
    # Answers and scores cascade; a retake pointing here keeps living (previous: SET_NULL).
    _total, per_model = abandoned.delete()
    return per_model.get(DiagnosticResponse._meta.label, 0)


def send_resume_link(*, email: str, response: DiagnosticResponse) -> None:
    """E-mail the private link. The address is held only until the e-mail is sent, and the
    link is derived when it is sent (diagnostic.emails): the task keeps ids only."""
    queue_email(
        purpose="diagnostic.resume_link",
        ids={"response": response.pk, "address": emails.hold_address(email)},
    )


# --- versions --------------------------------------------------------------------------------
@transaction.atomic
def duplicate_questionnaire(*, source: Questionnaire, actor=None) -> Questionnaire:
    """A new draft, copy of ``source`` (axes, questions, options, conditions, rules)."""
    last = Questionnaire.objects.order_by("-version").values_list("version", flat=True).first()
    copy = Questionnaire.objects.create(
        version=(last or 0) + 1,
        title=source.title,
        introduction=source.introduction,
        priority_below=source.priority_below,
        strength_from=source.strength_from,
        status=QuestionnaireStatus.DRAFT,
    )
    _record(
        copy,
        "",
        QuestionnaireStatus.DRAFT,
        actor,
        _("Copie de la version %(version)s.") % {"version": source.version},
    )
    axes, questions, options = {}, {}, {}
    for axis in source.axes.all():
        axes[axis.pk] = Axis.objects.create(
            questionnaire=copy,
            key=axis.key,
            name=axis.name,
            description=axis.description,
            order=axis.order,
        )
    old_questions = list(
        Question.objects.filter(axis__questionnaire=source).prefetch_related(
            "options", "condition_options"
        )
    )
    for question in old_questions:
        new = Question.objects.get(pk=question.pk)
        new.pk = None
        new.axis = axes[question.axis_id]
        new.condition_question = None
        new.save()
        questions[question.pk] = new
        for option in question.options.all():
            options[option.pk] = Option.objects.create(
                question=new,
                key=option.key,
                label=option.label,
                score=option.score,
                is_unknown=option.is_unknown,
                order=option.order,
            )
    for question in old_questions:
        if question.condition_question_id:
            new = questions[question.pk]
            new.condition_question = questions.get(question.condition_question_id)
            new.save(update_fields=["condition_question"])
            new.condition_options.set(
                [options[o.pk] for o in question.condition_options.all() if o.pk in options]
            )
    for rule in source.rules.all():
        rule.pk = None
        rule.questionnaire = copy
        rule.axis = axes.get(rule.axis_id)
        rule.question = questions.get(rule.question_id)
        rule.option = options.get(rule.option_id)
        rule.save()
    return copy


def _record(questionnaire: Questionnaire, from_status: str, to_status: str, actor, reason=""):
    QuestionnaireTransition.objects.create(
        questionnaire=questionnaire,
        from_status=from_status,
        to_status=to_status,
        actor=QuestionnaireTransition.actor_or_none(actor),
        reason=reason[:500],
    )


@transaction.atomic
def transition_questionnaire(
    *, questionnaire: Questionnaire, target: str, actor=None, reason: str = ""
) -> Questionnaire:
    """The one place a version's status changes: locks it, checks the move and the actor's
    right (``actor`` None is the platform itself: seed loading), saves, writes the history.
    Publishing a draft archives the version published until then (its answers stay)."""
    locked = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    QUESTIONNAIRE_MACHINE.check(locked.status, target)
    if actor is not None and not can_moderate(actor):
        raise DiagnosticError(_("Seule l'équipe de la plateforme gère les versions."))
    if target == QuestionnaireStatus.PUBLISHED:
        if not Question.objects.filter(axis__questionnaire=locked).exists():
            raise DiagnosticError(_("Ce brouillon n'a aucune question."))
        for current in Questionnaire.objects.select_for_update().filter(
            status=QuestionnaireStatus.PUBLISHED
        ):
            transition_questionnaire(
                questionnaire=current,
                target=QuestionnaireStatus.ARCHIVED,
                actor=actor,
                reason=_("Version %(version)s publiée.") % {"version": locked.version},
            )
        locked.published_at = timezone.now()
    from_status = locked.status
    locked.status = target
    locked.save(update_fields=["status", "published_at", "updated_at"])
    _record(locked, from_status, target, actor, reason)
    questionnaire.status, questionnaire.published_at = locked.status, locked.published_at
    return questionnaire


def publish_questionnaire(*, questionnaire: Questionnaire, actor=None) -> Questionnaire:
    """Publish a draft; the version published until now is archived (its answers stay)."""
    if questionnaire.status != QuestionnaireStatus.DRAFT:
        raise DiagnosticError(_("Seul un brouillon peut être publié."))
    return transition_questionnaire(
        questionnaire=questionnaire, target=QuestionnaireStatus.PUBLISHED, actor=actor
    )


# --- seed file -------------------------------------------------------------------------------
def _require(mapping: dict, key: str, where: str):
    if key not in mapping or mapping[key] in ("", None):
        raise QuestionnaireDataError(f"{where} : le champ « {key} » manque.")
    return mapping[key]


@transaction.atomic
def load_questionnaire(*, data: dict, publish: bool = True) -> tuple[Questionnaire, str]:
    """Create the questionnaire described by ``data`` (see seed/questionnaire-v1.json).
    Idempotent: an existing version is rebuilt only while no one has answered it."""
    version = _require(data, "version", "questionnaire")
    thresholds = {
        "priority_below": data.get("priority_below", engine.PRIORITY_BELOW),
        "strength_from": data.get("strength_from", engine.STRENGTH_FROM),
    }
    if not all(type(v) is int and 0 <= v <= 100 for v in thresholds.values()) or (
        thresholds["priority_below"] > thresholds["strength_from"]
    ):
        raise QuestionnaireDataError(
            "questionnaire : « priority_below » et « strength_from » sont des nombres de 0 "
            "à 100, le premier au plus égal au second."
        )
    existing = Questionnaire.objects.filter(version=version).first()
    if existing is not None:
        if existing.responses.exists():
            return existing, "unchanged"
        existing.rules.all().delete()
        Question.objects.filter(axis__questionnaire=existing).update(condition_question=None)
        existing.axes.all().delete()
        questionnaire = existing
        questionnaire.title = _require(data, "title", "questionnaire")
        questionnaire.introduction = data.get("introduction", "")
        questionnaire.priority_below = thresholds["priority_below"]
        questionnaire.strength_from = thresholds["strength_from"]
        questionnaire.save()
        outcome = "updated"
    else:
        questionnaire = Questionnaire.objects.create(
            version=version,
            title=_require(data, "title", "questionnaire"),
            introduction=data.get("introduction", ""),
            **thresholds,
        )
        _record(questionnaire, "", QuestionnaireStatus.DRAFT, None, _("Chargée d'un fichier."))
        outcome = "created"
    axes, questions, options = {}, {}, {}
    pending_conditions = []
    for a_order, axis_data in enumerate(_require(data, "axes", "questionnaire"), start=1):
        axis_key = _require(axis_data, "key", f"axe {a_order}")
        axis = Axis.objects.create(
            questionnaire=questionnaire,
            key=axis_key,
            name=_require(axis_data, "name", f"axe {axis_key}"),
            description=axis_data.get("description", ""),
            order=a_order,
        )
        axes[axis_key] = axis
        for q_order, q in enumerate(_require(axis_data, "questions", f"axe {axis_key}"), 1):
            q_key = _require(q, "key", f"axe {axis_key}, question {q_order}")
            where = f"question {q_key}"
            if q_key in questions:
                raise QuestionnaireDataError(f"{where} : clé en double.")
            question = Question.objects.create(
                axis=axis,
                key=q_key,
                text=_require(q, "text", where),
                help_text=q.get("help", ""),
                kind=_require(q, "kind", where),
                weight=q.get("weight", 1),
                required=q.get("required", True),
                order=q_order,
                scale_min=q.get("scale_min", 1),
                scale_max=q.get("scale_max", 5),
                scale_min_label=q.get("scale_min_label", ""),
                scale_max_label=q.get("scale_max_label", ""),
            )
            questions[q_key] = question
            for o_order, o in enumerate(q.get("options", []), start=1):
                o_key = _require(o, "key", f"{where}, choix {o_order}")
                options[(q_key, o_key)] = Option.objects.create(
                    question=question,
                    key=o_key,
                    label=_require(o, "label", f"{where}, choix {o_key}"),
                    score=o.get("score", 0),
                    is_unknown=o.get("unknown", False),
                    order=o_order,
                )
            if question.kind != "scale" and not q.get("options"):
                raise QuestionnaireDataError(f"{where} : aucun choix.")
            if "condition" in q:
                pending_conditions.append((question, q["condition"], where))
    for question, condition, where in pending_conditions:
        parent_key = _require(condition, "question", where)
        if parent_key not in questions:
            raise QuestionnaireDataError(f"{where} : condition sur une question inconnue.")
        question.condition_question = questions[parent_key]
        question.save(update_fields=["condition_question"])
        try:
            question.condition_options.set(
                [options[(parent_key, k)] for k in _require(condition, "options", where)]
            )
        except KeyError as exc:
            raise QuestionnaireDataError(f"{where} : condition sur un choix inconnu.") from exc
    for r_order, r in enumerate(data.get("rules", []), start=1):
        key = _require(r, "key", f"règle {r_order}")
        where = f"règle {key}"
        rule = RecommendationRule(
            questionnaire=questionnaire,
            key=key,
            order=r_order,
            advice_title=r.get("title", ""),
            advice_text=r.get("text", ""),
            advice_url=r.get("url", ""),
            need_slug=r.get("need", ""),
            support_code=r.get("support", ""),
            guide_slug=r.get("guide", ""),
            testimonial_topic=r.get("testimonial", ""),
            event_topic=r.get("event", ""),
            effort_time=r.get("effort", {}).get("time", ""),
            effort_money=r.get("effort", {}).get("money", ""),
            effort_skills=r.get("effort", {}).get("skills", ""),
            cost_rank=r.get("cost", 2),
        )
        if "axis_below" in r:
            rule.trigger = "axis_below"
            axis_key = _require(r["axis_below"], "axis", where)
            if axis_key not in axes:
                raise QuestionnaireDataError(f"{where} : axe inconnu « {axis_key} ».")
            rule.axis = axes[axis_key]
            # Without its own threshold a rule follows the version's priority threshold.
            rule.threshold = r["axis_below"].get("threshold", questionnaire.priority_below)
        elif "answer_is" in r:
            rule.trigger = "answer_is"
            q_key = _require(r["answer_is"], "question", where)
            o_key = _require(r["answer_is"], "option", where)
            if (q_key, o_key) not in options:
                raise QuestionnaireDataError(f"{where} : réponse inconnue {q_key}/{o_key}.")
            rule.question = questions[q_key]
            rule.option = options[(q_key, o_key)]
            rule.axis = rule.question.axis  # an action names its axis: its question's
        else:
            raise QuestionnaireDataError(f"{where} : ni « axis_below » ni « answer_is ».")
        rule.save()
    if publish and not Questionnaire.objects.filter(status=QuestionnaireStatus.PUBLISHED).exists():
        publish_questionnaire(questionnaire=questionnaire)
    return questionnaire, outcome


def detach_responses_of(*, user) -> int:
    """Erasure of an account: its diagnostics become anonymous (they still count in the
    aggregates; those of an association stay that association's); what the person wrote in
    their own words goes."""
    return user.diagnostic_responses.update(user=None, problem_text="")
