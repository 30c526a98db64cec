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
answers): ``remembered`` / ``remember`` keep it in Django's cache keyed on the page cache's
content version (``core.pagecache``), so the plans of a department are computed once per
state of the content (#14 measure: the providers were most of a results page's time) and
something published, edited or withdrawn shows in the next results at once. A provider
registered with ``many=`` answers all the codes of a plan in one go (``prefetch``).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from django.core.cache import cache as shared_cache
from django.utils.translation import gettext as _

from ressourcerie.core import pagecache

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
    # The skill the resource asks for, in the toolbox's difficulty codes ("debutant",
    # "intermediaire", "avance"); "" when it asks none. The plan keeps only the resources at
    # the association's level (``selectors.resources_at_level``).
    level: str = ""

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
# Answers every code of a plan at once: ``many(codes, context) -> {code: [Recommendation]}``.
ManyResolver = Callable[[list[str], Context], dict[str, list[Recommendation]]]
_providers: dict[str, Resolver] = {}
_many: dict[str, ManyResolver] = {}


def register_provider(kind: str, resolver: Resolver, *, many: ManyResolver | None = None) -> None:
    """``many``, when given, resolves all the codes of a plan in one go (a few queries
    instead of a chain per code); ``resolver`` still answers one rule (the API's flat list)."""
    if kind not in KIND_FIELDS:
        raise ValueError(f"unknown recommendation kind {kind!r}")
    _providers[kind] = resolver
    if many is None:
        _many.pop(kind, None)
    else:
        _many[kind] = many


def unregister_provider(kind: str) -> None:
    _providers.pop(kind, None)
    _many.pop(kind, None)


def providers() -> dict[str, Resolver]:
    return dict(_providers)


def saved_registry() -> tuple[dict, dict]:
    """Every provider with its batch resolver, for tests that register their own."""
    return dict(_providers), dict(_many)


def restore_registry(saved: tuple[dict, dict]) -> None:
    """Put back what ``saved_registry`` saved, batch resolvers included."""
    _providers.clear()
    _many.clear()
    _providers.update(saved[0])
    _many.update(saved[1])


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
            if cache is not None and kind != "advice":
                cache[(kind, code)] = found
        for item in found:
            identity = (kind, item.url, item.title)
            if identity in seen:
                continue
            seen.add(identity)
            items.append(replace(item, kind=item.kind or kind, why=item.why or why))
    return items


def prefetch(rules, context: Context, cache: dict) -> None:
    """Fill the ``resolve`` cache of these rules' codes through the providers that answer
    many codes at once (``register_provider(..., many=...)``); a failing one is logged and
    left to its one-rule resolver."""
    for kind, many in list(_many.items()):
        field_name = KIND_FIELDS[kind]
        codes = sorted(
            {getattr(r, field_name) for r in rules if getattr(r, field_name)}
            - {code for (k, code) in cache if k == kind}
        )
        if not codes:
            continue
        try:
            found = many(codes, context) or {}
        except Exception:
            logger.exception("recommendation provider %s failed on codes %s", kind, codes)
            continue
        for code in codes:
            cache[(kind, code)] = list(found.get(code, ()))


# An upper bound on how long what the providers found is reused (seconds): entries are keyed
# on the content version, so anything published, edited or withdrawn shows at once.
RESOURCES_TTL = 600


def _shared_key(context: Context, version: int) -> str:
    # The release too: an entry holds pickled ``Recommendation`` objects of this code.
    raw = "|".join(
        (
            pagecache.release(),
            str(version),
            context.department_code,
            context.sector,
            context.members_band,
        )
    )
    return "diagnostic:resources:" + hashlib.sha256(raw.encode()).hexdigest()[:40]


def _content_version() -> int | None:
    """The page cache's content version, or None when it is off: the version only moves
    while the page cache watches writes (``pagecache.enabled()``), so without it nothing is
    shared between results pages."""
    return pagecache.current_version() if pagecache.enabled() else None


# Where ``remembered`` leaves the content version it read, for ``remember``.
VERSION_KEY = ("", "version")


def remembered(context: Context) -> dict:
    """A ``resolve`` cache filled with what the providers found in this context at the
    current content version: one entry of Django's cache per content version, department,
    sector and size, holding every code asked so far (one read of the version, one of the
    cache). Empty when the page cache is off."""
    version = _content_version()
    if version is None:
        return {}
    cache = {
        key: list(items)
        for key, items in (shared_cache.get(_shared_key(context, version)) or {}).items()
    }
    cache[VERSION_KEY] = version
    return cache


def remember(cache: dict, known: dict, context: Context) -> None:
    """Keep in Django's cache, with what it held, what the providers found that ``known``
    did not hold yet (one write), under the content version ``remembered`` read before the
    providers did: content written meanwhile makes a newer version, never a stale entry."""
    version = known.get(VERSION_KEY)
    if version is None or not any(key not in known and key[0] != "advice" for key in cache):
        return
    entry = {
        key: tuple(items)
        for key, items in cache.items()
        if key != VERSION_KEY and key[0] != "advice"
    }
    shared_cache.set(_shared_key(context, version), entry, RESOURCES_TTL)
