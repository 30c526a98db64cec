"""The questionnaire engine, free of HTTP: structure, visibility, validation and scores.

The web pages and the API both go through ``clean_answers`` / ``missing_required`` /
``compute_scores``, so they accept and refuse exactly the same answers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .models import QuestionKind, Questionnaire

# Defaults of a version's thresholds (Questionnaire.priority_below / strength_from).
PRIORITY_BELOW = 60
STRENGTH_FROM = 70
MAX_LISTED = 3


@dataclass(frozen=True)
class OptionData:
    id: int
    key: str
    label: str
    score: int
    is_unknown: bool


@dataclass
class QuestionData:
    id: int
    key: str
    text: str
    help_text: str
    kind: str
    weight: int
    required: bool
    scale_min: int
    scale_max: int
    scale_min_label: str
    scale_max_label: str
    axis_key: str
    condition_question_id: int | None
    condition_option_ids: frozenset[int]
    options: list[OptionData] = field(default_factory=list)

    @property
    def options_by_id(self) -> dict[int, OptionData]:
        return {o.id: o for o in self.options}

    @property
    def scale_values(self) -> list[int]:
        return list(range(self.scale_min, self.scale_max + 1))

    @property
    def has_unknown(self) -> bool:
        return any(o.is_unknown for o in self.options)


@dataclass
class AxisData:
    id: int
    key: str
    name: str
    description: str
    questions: list[QuestionData] = field(default_factory=list)


@dataclass
class Structure:
    questionnaire_id: int
    version: int
    title: str
    axes: list[AxisData]
    priority_below: int = PRIORITY_BELOW
    strength_from: int = STRENGTH_FROM

    def __post_init__(self):
        self.questions = {q.id: q for a in self.axes for q in a.questions}

    @property
    def step_count(self) -> int:
        return len(self.axes)

    def axis_at(self, step: int) -> AxisData | None:
        return self.axes[step - 1] if 1 <= step <= len(self.axes) else None

    def axis_by_key(self, key: str) -> AxisData | None:
        return next((a for a in self.axes if a.key == key), None)


def build_structure(questionnaire: Questionnaire) -> Structure:
    """The whole questionnaire in memory, in five queries whatever its size."""
    axes = list(
        questionnaire.axes.prefetch_related("questions__options", "questions__condition_options")
    )
    return Structure(
        questionnaire_id=questionnaire.pk,
        version=questionnaire.version,
        title=questionnaire.title,
        priority_below=questionnaire.priority_below,
        strength_from=questionnaire.strength_from,
        axes=[
            AxisData(
                id=axis.pk,
                key=axis.key,
                name=axis.name,
                description=axis.description,
                questions=[
                    QuestionData(
                        id=q.pk,
                        key=q.key,
                        text=q.text,
                        help_text=q.help_text,
                        kind=q.kind,
                        weight=q.weight,
                        required=q.required,
                        scale_min=q.scale_min,
                        scale_max=q.scale_max,
                        scale_min_label=q.scale_min_label,
                        scale_max_label=q.scale_max_label,
                        axis_key=axis.key,
                        condition_question_id=q.condition_question_id,
                        condition_option_ids=frozenset(o.pk for o in q.condition_options.all()),
                        options=[
                            OptionData(o.pk, o.key, o.label, o.score, o.is_unknown)
                            for o in q.options.all()
                        ],
                    )
                    for q in axis.questions.all()
                ],
            )
            for axis in axes
        ],
    )


@dataclass(frozen=True)
class AnswerValue:
    option_ids: tuple[int, ...] = ()
    value: int | None = None

    @property
    def is_empty(self) -> bool:
        return not self.option_ids and self.value is None


Answers = dict[int, AnswerValue]


def is_shown(structure: Structure, question: QuestionData, answers: Answers, _depth=0) -> bool:
    """A conditional question is shown only when its parent is shown and answered with one of
    the condition's options."""
    if question.condition_question_id is None:
        return True
    parent = structure.questions.get(question.condition_question_id)
    if parent is None or _depth > 10:
        return True
    if not is_shown(structure, parent, answers, _depth + 1):
        return False
    answer = answers.get(parent.id)
    return bool(answer and set(answer.option_ids) & question.condition_option_ids)


def condition_text(structure: Structure, question: QuestionData) -> str:
    """« Répondez seulement si… » for a question whose condition is on the same page."""
    parent = structure.questions.get(question.condition_question_id or 0)
    if parent is None:
        return ""
    labels = [o.label for o in parent.options if o.id in question.condition_option_ids]
    return _("Répondez seulement si vous avez répondu %(options)s à « %(question)s ».") % {
        "options": _(" ou ").join(f"« {label} »" for label in labels),
        "question": parent.text,
    }


def _to_int(raw) -> int | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    text = str(raw).strip()
    if not text or len(text) > 12 or not text.lstrip("-").isdigit():
        return None
    return int(text)


def clean_answers(
    questions: Iterable[QuestionData], values_for: Callable[[QuestionData], list]
) -> tuple[Answers, dict[int, str]]:
    """Parse the raw values given for each question. Valid answers are returned even when
    other questions have errors, so that the page can keep them."""
    answers: Answers = {}
    errors: dict[int, str] = {}
    for question in questions:
        raw = [v for v in values_for(question) if v not in ("", None)]
        if not raw:
            continue
        if question.kind == QuestionKind.SCALE:
            value = _to_int(raw[0]) if len(raw) == 1 else None
            if value is None or not question.scale_min <= value <= question.scale_max:
                errors[question.id] = _("Choisissez une valeur entre %(min)s et %(max)s.") % {
                    "min": question.scale_min,
                    "max": question.scale_max,
                }
                continue
            answers[question.id] = AnswerValue(value=value)
            continue
        ids = [_to_int(v) for v in raw[:50]]
        known = question.options_by_id
        if any(i is None or i not in known for i in ids) or len(raw) > 50:
            errors[question.id] = _(
                "Ce choix n'existe pas dans cette version du questionnaire : choisissez parmi "
                "les réponses proposées."
            )
            continue
        ids = list(dict.fromkeys(ids))
        if question.kind == QuestionKind.SINGLE and len(ids) > 1:
            errors[question.id] = _("Choisissez une seule réponse.")
            continue
        if len(ids) > 1 and any(known[i].is_unknown for i in ids):
            errors[question.id] = _(
                "« Je ne sais pas » ne peut pas être coché avec d'autres réponses."
            )
            continue
        answers[question.id] = AnswerValue(option_ids=tuple(ids))
    return answers, errors


def missing_required(
    structure: Structure, questions: Iterable[QuestionData], answers: Answers
) -> dict[int, str]:
    errors = {}
    for question in questions:
        if not question.required or not is_shown(structure, question, answers):
            continue
        if question.id not in answers or answers[question.id].is_empty:
            errors[question.id] = (
                _("Répondez à cette question, ou choisissez « Je ne sais pas ».")
                if question.has_unknown
                else _("Répondez à cette question.")
            )
    return errors


def first_incomplete_step(structure: Structure, answers: Answers) -> int | None:
    """The first page (1-based) with a required question left unanswered, if any."""
    for index, axis in enumerate(structure.axes, start=1):
        if missing_required(structure, axis.questions, answers):
            return index
    return None


def visible_answers(structure: Structure, answers: Answers) -> Answers:
    """Drop the answers to questions whose condition no longer holds."""
    return {
        qid: a
        for qid, a in answers.items()
        if qid in structure.questions and is_shown(structure, structure.questions[qid], answers)
    }


def question_score(question: QuestionData, answer: AnswerValue | None) -> tuple[float | None, bool]:
    """(score 0–100 or None when unanswered, answered « je ne sais pas »)."""
    if answer is None or answer.is_empty:
        return None, False
    if question.kind == QuestionKind.SCALE:
        if answer.value is None:
            return None, False
        span = question.scale_max - question.scale_min
        return (answer.value - question.scale_min) * 100 / span, False
    options = [question.options_by_id[i] for i in answer.option_ids if i in question.options_by_id]
    if not options:
        return None, False
    unknown = any(o.is_unknown for o in options)
    if question.kind == QuestionKind.SINGLE:
        return float(options[0].score), unknown
    return float(min(100, sum(o.score for o in options))), unknown


@dataclass
class AxisResult:
    key: str
    name: str
    score: int | None
    unknown_count: int
    answered: int
    is_priority: bool = False
    is_strength: bool = False


@dataclass
class Scores:
    axes: list[AxisResult]
    overall: int | None
    priority_below: int = PRIORITY_BELOW

    @property
    def by_key(self) -> dict[str, AxisResult]:
        return {a.key: a for a in self.axes}

    @property
    def priorities(self) -> list[AxisResult]:
        return [a for a in self.axes if a.is_priority]

    @property
    def strengths(self) -> list[AxisResult]:
        return [a for a in self.axes if a.is_strength]

    @property
    def unknown_count(self) -> int:
        return sum(a.unknown_count for a in self.axes)


def compute_scores(structure: Structure, answers: Answers) -> Scores:
    """Axis = weighted mean of shown, answered questions; overall = mean of scored axes."""
    results = []
    for axis in structure.axes:
        total = weights = 0.0
        unknown = answered = 0
        for question in axis.questions:
            if not is_shown(structure, question, answers):
                continue
            score, is_unknown = question_score(question, answers.get(question.id))
            if score is None:
                continue
            answered += 1
            unknown += int(is_unknown)
            total += score * question.weight
            weights += question.weight
        score = round(total / weights) if weights else None
        results.append(AxisResult(axis.key, axis.name, score, unknown, answered))
    scored = [a for a in results if a.score is not None]
    overall = round(sum(a.score for a in scored) / len(scored)) if scored else None
    ranked = sorted(scored, key=lambda a: a.score)
    # Priorities and strengths by the version's thresholds: strong everywhere means no
    # priority at all (never "the lowest one anyway").
    for axis in [a for a in ranked if a.score < structure.priority_below][:MAX_LISTED]:
        axis.is_priority = True
    strong = [a for a in reversed(ranked) if a.score >= structure.strength_from]
    for axis in strong[:MAX_LISTED]:
        axis.is_strength = True
    return Scores(results, overall, structure.priority_below)
