"""Recommendations: rules (data) matched against a response, resolved by providers.

Other parts plug in without the diagnostic importing them: in their ``AppConfig.ready``::

    from ressourcerie.diagnostic import recommendations

    def tools_for_need(rule, context):
        return [recommendations.Recommendation(title=t.name, url=t.get_absolute_url(),
                                               why="", text=t.summary) for t in ...]

    recommendations.register_provider("need", tools_for_need)

A provider receives the matched rule (``rule.need_slug``, ``rule.support_code``,
``rule.guide_slug``, ``rule.testimonial_topic``, ``rule.event_topic``) and a ``Context``
(department code, sector, members band, scores). It returns ``Recommendation`` objects;
an empty ``why`` is filled with the rule's reason (« Parce que… »).

What a provider returns depends only on the rule's code and the context's department, sector
and members band (the catalogue, places, stories and events near an association, not its
answers): ``remembered`` / ``remember`` keep it in Django's cache for ``RESOURCES_TTL``
seconds, so the plans of a department are computed once (#14 measure: the providers were
most of a results page's time). Something published shows within that delay.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from django.core.cache import cache as shared_cache
from django.utils.translation import gettext as _

from .engine import Answers, Scores, Structure
from .models import RecommendationRule, RuleTrigger

logger = logging.getLogger("ressourcerie.diagnostic")

# Kind → the rule field that must be filled for the provider to be asked.
KIND_FIELDS = {
    "advice": "advice_title",
    "need": "need_slug",
    "support": "support_code",
    "guide": "guide_slug",
    "testimonial": "testimonial_topic",
    "event": "event_topic",
}
KIND_LABELS = {
    "advice": "Conseil",
    "need": "Outils",
    "support": "Accompagnement près de chez vous",
    "guide": "Guide",
    "testimonial": "Témoignage",
    "event": "Événement",
}


@dataclass(frozen=True)
class Recommendation:
    title: str
    url: str = ""
    why: str = ""
    text: str = ""
    kind: str = ""

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, "")


@dataclass
class Context:
    structure: Structure
    scores: Scores
    answers: Answers
    department_code: str = ""
    sector: str = ""
    members_band: str = ""
    extra: dict = field(default_factory=dict)


Resolver = Callable[[RecommendationRule, Context], list[Recommendation]]
_providers: dict[str, Resolver] = {}


def register_provider(kind: str, resolver: Resolver) -> None:
    if kind not in KIND_FIELDS:
        raise ValueError(f"unknown recommendation kind {kind!r}")
    _providers[kind] = resolver


def unregister_provider(kind: str) -> None:
    _providers.pop(kind, None)


def providers() -> dict[str, Resolver]:
    return dict(_providers)


def advice_provider(rule: RecommendationRule, context: Context) -> list[Recommendation]:
    """Built in: the advice written in the questionnaire data itself (always available)."""
    return [Recommendation(title=rule.advice_title, url=rule.advice_url, text=rule.advice_text)]


register_provider("advice", advice_provider)


def matches(rule: RecommendationRule, context: Context) -> bool:
    if rule.trigger == RuleTrigger.AXIS_BELOW:
        axis = context.scores.by_key.get(rule.axis.key) if rule.axis_id else None
        return bool(axis and axis.score is not None and axis.score < (rule.threshold or 0))
    if rule.trigger == RuleTrigger.ANSWER_IS:
        answer = context.answers.get(rule.question_id)
        return bool(answer and rule.option_id in answer.option_ids)
    return False


def reason(rule: RecommendationRule, context: Context) -> str:
    if rule.trigger == RuleTrigger.AXIS_BELOW:
        axis = context.scores.by_key[rule.axis.key]
        return _(
            "Parce que votre score « %(axis)s » est de %(score)s sur 100 (moins de %(threshold)s)."
        ) % {"axis": axis.name, "score": axis.score, "threshold": rule.threshold}
    return _("Parce que vous avez répondu « %(option)s » à « %(question)s ».") % {
        "option": rule.option.label,
        "question": rule.question.text,
    }


@dataclass
class Group:
    rule: RecommendationRule
    why: str
    items: list[Recommendation]


def recommend(rules, context: Context) -> list[Group]:
    """Every matching rule with what the registered providers return for it, in rule order.
    A provider that fails is logged and skipped: results never break because of another part."""
    groups: list[Group] = []
    seen: set[tuple[str, str, str]] = set()
    for rule in rules:
        if not matches(rule, context):
            continue
        why = reason(rule, context)
        items = resolve(rule, context, why, seen)
        if items:
            groups.append(Group(rule=rule, why=why, items=items))
    return groups


def resolve(
    rule: RecommendationRule, context: Context, why: str, seen: set, cache: dict | None = None
) -> list:
    """What the registered providers return for one rule, minus what ``seen`` already holds;
    a provider that fails is logged and skipped. With ``cache`` (one per context), a provider
    is asked once per code: rules sharing a need or a support share their answer."""
    items = []
    for kind, field_name in KIND_FIELDS.items():
        resolver = _providers.get(kind)
        code = getattr(rule, field_name)
        if resolver is None or not code:
            continue
        if kind != "advice" and cache is not None and (kind, code) in cache:
            found = cache[(kind, code)]
        else:
            try:
                found = list(resolver(rule, context) or [])
            except Exception:
                logger.exception("recommendation provider %s failed on rule %s", kind, rule.key)
                continue
            if cache is not None:
                cache[(kind, code)] = found
        for item in found:
            identity = (kind, item.url, item.title)
            if identity in seen:
                continue
            seen.add(identity)
            items.append(replace(item, kind=item.kind or kind, why=item.why or why))
    return items


# How long what the providers found for a code, in a department, for a sector and a size, is
# reused by the next results pages (seconds).
RESOURCES_TTL = 600


def _shared_key(kind: str, code: str, context: Context) -> str:
    raw = "|".join((kind, code, context.department_code, context.sector, context.members_band))
    return "diagnostic:resources:" + hashlib.sha256(raw.encode()).hexdigest()[:40]


def remembered(rules, context: Context) -> dict:
    """A ``resolve`` cache filled with what the providers found recently for these rules'
    codes in this context (one read of Django's cache)."""
    wanted = {}
    for rule in rules:
        for kind, field_name in KIND_FIELDS.items():
            code = getattr(rule, field_name)
            if kind != "advice" and code and kind in _providers:
                wanted[_shared_key(kind, code, context)] = (kind, code)
    found = shared_cache.get_many(list(wanted)) if wanted else {}
    return {wanted[key]: list(items) for key, items in found.items()}


def remember(cache: dict, known: dict, context: Context) -> None:
    """Keep in Django's cache what the providers found that ``known`` did not hold yet."""
    fresh = {
        _shared_key(kind, code, context): tuple(items)
        for (kind, code), items in cache.items()
        if (kind, code) not in known
    }
    if fresh:
        shared_cache.set_many(fresh, RESOURCES_TTL)
