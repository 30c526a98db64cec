"""What other parts read of the plan's actions, and what they add under each action of
« Mon plan d'action » (the agenda: upcoming events near the association, events its members
attended).

The actions an event may serve are the published questionnaire's rules (one action per rule
key, ``plan_action_choices``); an event stores their keys. Other parts add lines under the
actions of an association's kept plan through ``register_plan_source``: the plan page asks
each source once per association with every action key of its plan. A source only adds
lines: an action's status changes only when a member marks it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from ..models import PlanAction, PlanStatus, Questionnaire, QuestionnaireStatus, RecommendationRule

logger = logging.getLogger(__name__)

# Actions an association still has to do: the ones an invitation may be about.
OPEN_PLAN_STATUSES = (PlanStatus.TODO, PlanStatus.IN_PROGRESS)


def plan_action_choices() -> list[tuple[str, str]]:
    """(key, title) of every action a plan may hold: the published version's rules, in their
    order, one per key (empty before a version is published)."""
    questionnaire = Questionnaire.objects.filter(status=QuestionnaireStatus.PUBLISHED).first()
    if questionnaire is None:
        return []
    rows = (
        RecommendationRule.objects.filter(questionnaire=questionnaire)
        .exclude(advice_title="")
        .order_by("order", "pk")
        .values_list("key", "advice_title")
    )
    choices: dict[str, str] = {}
    for key, title in rows:
        choices.setdefault(key, title)
    return list(choices.items())


def plan_action_titles(keys) -> list[str]:
    """The titles of these action keys, in the given order (an unknown key is left out)."""
    keys = list(keys)
    if not keys:
        return []
    titles = dict(plan_action_choices())
    return [titles[key] for key in keys if key in titles]


def associations_planning(department_code: str, keys) -> list[int]:
    """Ids of the associations of a department (the one their latest diagnostic was taken
    for) whose kept plan holds one of these actions still to do or in progress."""
    keys = [key for key in keys if key]
    if not department_code or not keys:
        return []
    return list(
        PlanAction.objects.filter(
            current=True,
            key__in=keys,
            status__in=OPEN_PLAN_STATUSES,
            response__department__code=department_code,
        )
        .order_by("organisation_id")
        .values_list("organisation_id", flat=True)
        .distinct()
    )


# --- what other parts add under the actions of « Mon plan d'action » --------------------------
@dataclass(frozen=True)
class PlanLink:
    """One line under an action: a text, with a link when there is a page to open."""

    text: str
    url: str = ""
    title: str = ""


@dataclass(frozen=True)
class PlanPlace:
    """Where the association is, for "near it": its commune's position and department, else
    the department its latest diagnostic was taken for (no position)."""

    organisation: object
    department_code: str = ""
    latitude: float | None = None
    longitude: float | None = None


# source(place, keys) -> {action key: [PlanLink, …]}
Source = Callable[[PlanPlace, list[str]], dict[str, list[PlanLink]]]
# "upcoming": what is coming near the association; "followed": what its members attended.
KINDS = ("upcoming", "followed")
_sources: dict[str, list[Source]] = {kind: [] for kind in KINDS}


def register_plan_source(kind: str, source: Source) -> None:
    if kind not in KINDS:
        raise ValueError(f"Unknown plan source kind: {kind}")
    if source not in _sources[kind]:
        _sources[kind].append(source)


def place_of(organisation, department_code: str = "") -> PlanPlace:
    commune = getattr(organisation, "commune", None)
    if commune is not None:
        return PlanPlace(
            organisation,
            commune.department.code,
            commune.latitude,
            commune.longitude,
        )
    return PlanPlace(organisation, department_code)


def plan_links(place: PlanPlace, keys) -> dict[str, dict[str, list[PlanLink]]]:
    """{kind: {action key: [PlanLink]}} from every registered source (a failing one is
    logged and left out: the plan page never fails for it)."""
    keys = [key for key in keys if key]
    found: dict[str, dict[str, list[PlanLink]]] = {kind: {} for kind in KINDS}
    if not keys:
        return found
    for kind in KINDS:
        for source in _sources[kind]:
            try:
                links = source(place, keys)
            except Exception:
                logger.exception("Plan source %r failed", source)
                continue
            for key, items in links.items():
                found[kind].setdefault(key, []).extend(items)
    return found
