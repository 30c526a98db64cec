"""The action plan (#14): the matching rules of a questionnaire version become actions, ranked.

Each ``RecommendationRule`` is an action of one axis (an ``answer_is`` rule's axis is its
question's). ``build_plan`` keeps the matching ones, ranks them by (axis score, cost rank, rule
order): weakest axis first, then the cheapest action; the first ``MAX_ACTIONS`` make the plan
(the first ``STARTERS`` marked "pour commencer"), the others stay under "Aller plus loin",
grouped by axis. An action's ``why`` quotes only answers to questions of its own axis, and its
resources are what the registered providers (``recommendations.register_provider``) return
for it (only for the plan's ten: "Aller plus loin" lists the others with their reason and
effort). The results page, the PDF and the API read the same ``Plan``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from . import engine, recommendations
from .models import QuestionKind, RuleTrigger

MAX_ACTIONS = 10
STARTERS = 3
QUOTED_ANSWERS = 2


@dataclass(frozen=True)
class Effort:
    time: str = ""
    money: str = ""
    skills: str = ""

    def as_dict(self) -> dict:
        return {"time": self.time, "money": self.money, "skills": self.skills}


@dataclass
class Action:
    key: str
    axis_key: str
    axis_name: str
    axis_score: int | None
    title: str
    text: str
    url: str
    why: str
    effort: Effort
    cost_rank: int
    resources: list[recommendations.Recommendation] = field(default_factory=list)
    starter: bool = False


@dataclass
class AxisGroup:
    key: str
    name: str
    actions: list[Action]


@dataclass
class Plan:
    actions: list[Action]
    further: list[AxisGroup]

    @property
    def starters(self) -> list[Action]:
        return [a for a in self.actions if a.starter]


def quote(question: engine.QuestionData, answer: engine.AnswerValue) -> str:
    """« what was answered » à « question »."""
    if question.kind == QuestionKind.SCALE:
        said = _("%(value)s sur %(max)s") % {"value": answer.value, "max": question.scale_max}
    else:
        by_id = question.options_by_id
        said = ", ".join(by_id[i].label for i in answer.option_ids if i in by_id)
    return _("« %(said)s » à « %(question)s »") % {"said": said, "question": question.text}


def weakest_answers(
    axis: engine.AxisData, answers: engine.Answers, below: int
) -> list[tuple[engine.QuestionData, engine.AnswerValue]]:
    """The answers of this axis scoring under ``below``, lowest first (at most two)."""
    scored = []
    for question in axis.questions:
        answer = answers.get(question.id)
        score, _unknown = engine.question_score(question, answer)
        if score is not None and score < below:
            scored.append((score, question.id, question, answer))
    scored.sort(key=lambda row: (row[0], row[1]))
    return [(q, a) for _s, _i, q, a in scored[:QUOTED_ANSWERS]]


def why(rule, context: recommendations.Context) -> str:
    """The reason of an action, quoting only answers to questions of the rule's own axis."""
    if rule.trigger == RuleTrigger.ANSWER_IS:
        question = context.structure.questions[rule.question_id]
        answer = context.answers[rule.question_id]
        return _("Parce que vous avez répondu %(quote)s.") % {"quote": quote(question, answer)}
    axis = context.scores.by_key[rule.axis.key]
    text = _(
        "Parce que votre score « %(axis)s » est de %(score)s sur 100 (moins de %(threshold)s)"
    ) % {
        "axis": axis.name,
        "score": axis.score,
        "threshold": rule.threshold,
    }
    data = context.structure.axis_by_key(rule.axis.key)
    quoted = weakest_answers(data, context.answers, rule.threshold or 0) if data else []
    if quoted:
        text += _(" : vous avez répondu %(quotes)s") % {
            "quotes": _(" et ").join(quote(q, a) for q, a in quoted)
        }
    return text + "."


def axis_key_of(rule, structure: engine.Structure) -> str:
    if rule.axis_id:
        return rule.axis.key
    question = structure.questions.get(rule.question_id)
    return question.axis_key if question else ""


def written_why(text: str) -> str:
    return _("Vous avez écrit : « %(text)s ».") % {"text": text.strip()}


def build_plan(
    rules,
    context: recommendations.Context,
    *,
    resources: bool = True,
    written: str = "",
    written_key: str = "",
    keep_resource=None,
) -> Plan:
    """Rules (``select_related("axis", "question", "option")``) → the ranked plan.

    ``written_key`` names the rule the free-text answer ``written`` was matched to: its action
    joins the plan (among the ten) with the reason "Vous avez écrit : « … »". Without
    ``resources`` no provider is asked (the kept plan of an association needs only the
    actions). ``keep_resource(items)`` filters the resources (the association's level)."""
    actions: list[Action] = []
    titles: set[str] = set()
    matched = {}
    for rule in rules:
        by_text = bool(written_key) and rule.key == written_key
        if not (recommendations.matches(rule, context) or by_text):
            continue
        axis_key = axis_key_of(rule, context.structure)
        axis = context.scores.by_key.get(axis_key)
        if axis is None or rule.advice_title in titles:
            continue
        titles.add(rule.advice_title)
        matched[rule.key] = rule
        actions.append(
            Action(
                key=rule.key,
                axis_key=axis_key,
                axis_name=axis.name,
                axis_score=axis.score,
                title=rule.advice_title,
                text=rule.advice_text,
                url=rule.advice_url,
                why=(written_why(written) if by_text else why(rule, context)),
                effort=Effort(rule.effort_time, rule.effort_money, rule.effort_skills),
                cost_rank=rule.cost_rank,
            )
        )
    order = {a.key: index for index, a in enumerate(context.structure.axes)}
    actions.sort(
        key=lambda a: (
            100 if a.axis_score is None else a.axis_score,
            order.get(a.axis_key, 0),
            a.cost_rank,
        )
    )
    kept, rest = actions[:MAX_ACTIONS], actions[MAX_ACTIONS:]
    # What the person wrote in their own words is always in the plan (last of the ten at worst).
    mine = next((a for a in rest if written_key and a.key == written_key), None)
    if mine is not None:
        rest = [kept.pop(), *(a for a in rest if a is not mine)]
        rest.sort(key=lambda a: actions.index(a))
        kept.append(mine)
    for action in kept[:STARTERS]:
        action.starter = True
    # Resources only for the plan's actions (the providers are the cost); a provider is
    # asked once per code for the whole plan.
    cache: dict = {}
    if resources:
        cache = recommendations.remembered(context)
    known = dict(cache)
    if resources:
        recommendations.prefetch([matched[a.key] for a in kept], context, cache)
    for action in kept if resources else ():
        action.resources = [
            item
            for item in recommendations.resolve(
                matched[action.key], context, action.why, set(), cache
            )
            if item.kind != "advice"
        ]
    if resources:
        recommendations.remember(cache, known, context)
    if resources and keep_resource is not None:
        allowed = keep_resource([item for a in kept for item in a.resources])
        for action in kept:
            action.resources = [item for item in action.resources if item in allowed]
    further = []
    for axis in context.structure.axes:
        mine = [a for a in rest if a.axis_key == axis.key]
        if mine:
            further.append(AxisGroup(key=axis.key, name=axis.name, actions=mine))
    return Plan(actions=kept, further=further)
