"""Reads of the action plan beyond the results page: the association's kept plan (« Mon plan
d'action », read by other parts through ``association_plan``), what moved since the previous
diagnostic, the free-text answer's match in the catalogue, the level of the tools proposed and
the staff figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q

from ressourcerie.accounts.permissions import organisations_for
from ressourcerie.core import search
from ressourcerie.toolbox import selectors as toolbox

from .. import engine
from ..models import PLAN_MACHINE, PlanAction, PlanActionTransition, PlanStatus, RecommendationRule
from ..permissions import can_follow_plan
from .links import place_of, plan_links

# The toolbox's difficulty codes, easiest first; an association is sent to tools of its level
# and below (a beginner only to tools marked "débutant").
LEVELS = ("debutant", "intermediaire", "avance")
SKILLS_AXIS = "competences"


def association_level(scores: engine.Scores) -> str:
    """The association's level, from its "Compétences" score (else its overall score)."""
    axis = scores.by_key.get(SKILLS_AXIS)
    score = axis.score if axis is not None and axis.score is not None else scores.overall
    if score is None:
        return LEVELS[1]
    return LEVELS[0] if score < 40 else LEVELS[1] if score < 70 else LEVELS[2]


def resources_at_level(level: str):
    """A filter for ``plan.build_plan``: drops the resources above ``level`` (the catalogue's
    tools say theirs: ``Recommendation.level``), with no query."""
    harder = set(LEVELS[LEVELS.index(level) + 1 :]) if level in LEVELS else set()

    def keep(items):
        return {item for item in items if item.level not in harder}

    return keep


def written_rule_key(text: str, rules) -> str:
    """The rule whose catalogue need best matches what the person wrote, through the site's
    French search (accents, plurals, synonyms, typos) over the catalogue's tools: the needs of
    the best-ranked tools, the first one a rule names. "" when nothing matches."""
    text = (text or "").strip()
    wanted: dict[str, str] = {}
    for rule in rules:
        if rule.need_slug:
            wanted.setdefault(rule.need_slug, rule.key)
    if not text or not wanted:
        return ""
    hits = search.find(
        text, types=["tool"], match_any=True, facets=False, snippets=False, per_page=20
    ).items
    # Each need gathers the weight of the tools found for it (best-ranked tools weigh most):
    # a sentence is about the need most of its answers share, not the first tool's.
    weights = {
        int(h.object_id): 1 / (rank + 1) for rank, h in enumerate(hits) if h.object_id.isdigit()
    }
    needs: dict[str, float] = {}
    for pk, slug, parent in (
        toolbox.published_tools()
        .filter(pk__in=weights)
        .values_list("pk", "needs__slug", "needs__parent__slug")
    ):
        for need in {slug, parent} & set(wanted):
            needs[need] = needs.get(need, 0) + weights[pk]
    if not needs:
        return ""
    best = max(needs, key=lambda need: (needs[need], need))
    return wanted[best]


# --- the kept plan of an association ---------------------------------------------------------
@dataclass(frozen=True)
class KeptAction:
    """One action of an association's kept plan, as other parts (the support fund) read it."""

    id: int
    key: str
    axis_key: str
    axis_name: str
    title: str
    effort_time: str
    effort_money: str
    effort_skills: str
    rank: int
    starter: bool
    status: str
    status_label: str
    status_changed_at: datetime | None
    response_id: int | None


def _kept(row: PlanAction) -> KeptAction:
    return KeptAction(
        id=row.pk,
        key=row.key,
        axis_key=row.axis_key,
        axis_name=row.axis_name,
        title=row.title,
        effort_time=row.effort_time,
        effort_money=row.effort_money,
        effort_skills=row.effort_skills,
        rank=row.rank,
        starter=row.starter,
        status=row.status,
        status_label=PLAN_MACHINE.label(row.status),
        status_changed_at=row.status_changed_at,
        response_id=row.response_id,
    )


def association_plan(organisation) -> list[KeptAction]:
    """The kept plan of an association: the actions of its latest completed diagnostic's
    plan, ranked (at most ten), each with its status ("todo", "in_progress", "done",
    "not_for_us") and when it last changed. Empty when it has none."""
    if organisation is None:
        return []
    rows = PlanAction.objects.filter(organisation=organisation, current=True).order_by("rank")
    return [_kept(row) for row in rows]


@dataclass
class OrganisationPlan:
    organisation: object
    actions: list[PlanAction]  # current ones, ranked, each with ``moves``
    earlier: list[PlanAction]  # no longer proposed, kept with their status

    @property
    def has_upcoming(self) -> bool:
        """Whether any current action has an upcoming event under it (else one short line
        says so for the whole plan, not one per action)."""
        return any(getattr(action, "upcoming", None) for action in self.actions)


def plans_of(user) -> list[OrganisationPlan]:
    """« Mon plan d'action »: the kept plan of each association the person is a member of."""
    organisations = list(
        organisations_for(user).select_related("commune__department").order_by("name")
    )
    rows = (
        PlanAction.objects.filter(organisation__in=organisations)
        .select_related("status_changed_by", "response__department")
        .order_by("-current", "rank", "pk")
    )
    by_organisation: dict[int, list[PlanAction]] = {}
    for row in rows:
        row.moves = PLAN_MACHINE.moves_from(row.status)
        by_organisation.setdefault(row.organisation_id, []).append(row)
    plans = []
    for organisation in organisations:
        actions = by_organisation.get(organisation.pk, [])
        _add_links(organisation, actions)
        plans.append(
            OrganisationPlan(
                organisation=organisation,
                actions=[r for r in actions if r.current],
                earlier=[r for r in actions if not r.current],
            )
        )
    return plans


def _add_links(organisation, actions: list[PlanAction]) -> None:
    """Under each action, what other parts add (``links.register_plan_source``): upcoming
    events near the association (current actions) and events its members attended."""
    if not actions:
        return
    response = next((a.response for a in actions if a.current and a.response_id), None)
    department = response.department.code if response and response.department_id else ""
    found = plan_links(place_of(organisation, department), [a.key for a in actions])
    for action in actions:
        action.upcoming = found["upcoming"].get(action.key, []) if action.current else []
        action.followed = found["followed"].get(action.key, [])


def kept_action_for(user, pk: int) -> PlanAction | None:
    """A kept action the person may mark (None for an outsider or an unknown id)."""
    row = PlanAction.objects.select_related("organisation").filter(pk=pk).first()
    if row is None or not can_follow_plan(user, row.organisation):
        return None
    return row


def allowed_plan_moves(action: PlanAction, user) -> list[str]:
    return (
        PLAN_MACHINE.moves_from(action.status) if can_follow_plan(user, action.organisation) else []
    )


def done_between(organisation_id, start, end) -> list[PlanActionTransition]:
    """The actions of an association marked "fait" in (start, end]: what moved between two
    diagnostics (the latest mark of each action, still "fait" today)."""
    if not organisation_id or end is None:
        return []
    marks = PlanActionTransition.objects.filter(
        action__organisation_id=organisation_id,
        action__status=PlanStatus.DONE,
        to_status=PlanStatus.DONE,
        at__lte=end,
    ).select_related("action")
    if start is not None:
        marks = marks.filter(at__gt=start)
    latest: dict[int, PlanActionTransition] = {}
    for mark in marks.order_by("at", "pk"):
        latest[mark.action_id] = mark
    return sorted(latest.values(), key=lambda m: m.action.rank)


# --- staff -----------------------------------------------------------------------------------
def frequent_actions_by_department(per_department: int = 5) -> list[dict]:
    """The actions most often in associations' kept plans, by department (of the diagnostic),
    with how many are marked "fait"."""
    rows = (
        PlanAction.objects.values(
            "response__department__code", "response__department__name", "key", "title"
        )
        .annotate(n=Count("id"), done=Count("id", filter=Q(status=PlanStatus.DONE)))
        .order_by("response__department__code", "-n", "-done", "key")
    )
    departments: dict[str, dict] = {}
    for row in rows:
        code = row["response__department__code"] or ""
        group = departments.setdefault(
            code, {"code": code, "name": row["response__department__name"] or "", "actions": []}
        )
        if len(group["actions"]) < per_department:
            row["done_percent"] = round(100 * row["done"] / row["n"]) if row["n"] else 0
            group["actions"].append(row)
    return list(departments.values())


def support_codes_of(action_keys) -> dict[str, str]:
    """The directory's "support" code (``RecommendationRule.support_code``, e.g.
    "outils-collaboratifs") of each plan action key that has one, as the rules of every
    questionnaire version state it (a key keeps its meaning across versions; the newest
    rule wins). Read by the support fund's matching."""
    keys = [key for key in action_keys or [] if key]
    if not keys:
        return {}
    rows = (
        RecommendationRule.objects.filter(key__in=keys)
        .exclude(support_code="")
        .order_by("questionnaire_id")
        .values_list("key", "support_code")
    )
    return dict(rows)
