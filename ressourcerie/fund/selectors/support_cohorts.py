"""Collective support (docs/parts/fund.md, Part 2, flow 3): the cohorts the platform suggests
among a call's accepted dossiers that chose collective support, and the team's cohorts.

``suggest(call)`` reads the call's collective supports not yet in a cohort (one query) and
groups them greedily: a seed association, the plan action it shares with the most others
nearby (same department, or within ``Call.support_radius_km`` of the seed's commune), then
the nearest sharing it, up to ``cohort_max``; a group under ``cohort_min`` is not proposed.
Each member says why it is there (« Partage les actions « … » ; à 12 km d'Angoulême »).
Nothing is written: the team confirms a suggestion (``services.support_cohorts``).
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import F
from django.utils.translation import gettext as _

from ressourcerie.agenda import selectors as agenda_selectors
from ressourcerie.directory.selectors import distance_km

from ..models import (
    ApplicationStatus,
    Cohort,
    CohortEvent,
    CohortStatus,
    Support,
    SupportFormat,
    SupportStatus,
)
from ..models.applications import ACCEPTED_STATUSES

# Supports a cohort may take in: accepted, collective, still waiting for an actor.
GROUPABLE_STATUSES = (SupportStatus.TO_ASSIGN,)
# Cohorts the team may still edit (before they are proposed to actors).
EDITABLE_STATUSES = (CohortStatus.SUGGESTED, CohortStatus.TO_ASSIGN)
LIVE_COHORT_STATUSES = tuple(
    s for s in CohortStatus.values if s not in (CohortStatus.DONE, CohortStatus.DROPPED)
)


@dataclass
class _Candidate:
    support: Support
    keys: set
    department_code: str
    department_name: str
    commune_name: str
    latitude: float | None
    longitude: float | None


@dataclass
class SuggestedMember:
    support: Support
    reason: str
    distance_km: float | None


@dataclass
class SuggestedCohort:
    call_id: int
    name: str
    action_keys: list[str]
    action_titles: list[str]
    department_code: str
    rationale: str
    members: list[SuggestedMember] = field(default_factory=list)

    @property
    def key(self) -> str:
        """Identifies the suggestion in a form: its members' support ids, sorted."""
        return "-".join(str(pk) for pk in sorted(m.support.pk for m in self.members))

    @property
    def size(self) -> int:
        return len(self.members)


# What the grouping, its reasons and the pages listing these supports read: the rest of the
# five rows (the diagnostic snapshot, dates, results) is left in the database, and of the
# snapshot only its plan actions are read (``snapshot_actions``), for their titles.
_CANDIDATE_FIELDS = (
    "action_keys",
    "application",
    "application__action_keys",
    "application__reference",
    "application__organisation",
    "application__organisation__name",
    "application__organisation__commune",
    "application__organisation__commune__name",
    "application__organisation__commune__latitude",
    "application__organisation__commune__longitude",
    "application__organisation__commune__department",
    "application__organisation__commune__department__code",
    "application__organisation__commune__department__name",
)


def collective_candidates(call):
    """The call's supports a cohort may take in: accepted dossiers that chose collective
    support, not yet in a live cohort, still to assign."""
    return (
        Support.objects.filter(
            application__call=call,
            application__status__in=ACCEPTED_STATUSES,
            support_format=SupportFormat.COLLECTIVE,
            status__in=GROUPABLE_STATUSES,
        )
        .exclude(cohort__status__in=LIVE_COHORT_STATUSES)
        .select_related("application__organisation__commune__department")
        .only(*_CANDIDATE_FIELDS)
        .annotate(snapshot_actions=F("application__diagnostic_snapshot__actions"))
        .order_by("pk")
    )


def _titles(support) -> dict[str, str]:
    return {a["key"]: a.get("title", a["key"]) for a in support.snapshot_actions or []}


def _candidate(support) -> _Candidate:
    commune = support.application.organisation.commune
    keys = set(support.action_keys or support.application.action_keys or [])
    if commune is None:
        return _Candidate(support, keys, "", "", "", None, None)
    return _Candidate(
        support,
        keys,
        commune.department.code,
        commune.department.name,
        commune.name,
        commune.latitude,
        commune.longitude,
    )


def _distance(a: _Candidate, b: _Candidate) -> float | None:
    if a.latitude is None or b.latitude is None:
        return None
    return distance_km(a.latitude, a.longitude, b.latitude, b.longitude)


def _near(seed: _Candidate, other: _Candidate, radius_km: int) -> tuple[bool, float | None]:
    distance = _distance(seed, other)
    if seed.department_code and seed.department_code == other.department_code:
        return True, distance
    return (distance is not None and distance <= radius_km), distance


def _place_reason(seed: _Candidate, member: _Candidate, distance: float | None) -> str:
    if member is seed:
        return _("commune de référence du groupe (%(commune)s)") % {"commune": seed.commune_name}
    if member.commune_name == seed.commune_name and member.department_code == seed.department_code:
        return _("même commune (%(commune)s)") % {"commune": seed.commune_name}
    place = ""
    if distance is not None:
        place = _("à %(km)s km de %(commune)s") % {
            "km": round(distance),
            "commune": seed.commune_name,
        }
    if member.department_code and member.department_code == seed.department_code:
        same = _("même département (%(name)s)") % {"name": seed.department_name}
        return f"{place}, {same}" if place else same
    return place


def _quoted(titles) -> str:
    return ", ".join(f"« {t} »" for t in titles)


def _build(
    call, seed: _Candidate, chosen: list[tuple[_Candidate, float | None]]
) -> SuggestedCohort:
    shared = set.intersection(*(c.keys for c, _d in chosen))
    titles_by_key = {}
    for candidate, _d in chosen:
        titles_by_key.update(_titles(candidate.support))
    shared_keys = sorted(shared, key=lambda k: titles_by_key.get(k, k))
    shared_titles = [titles_by_key.get(k, k) for k in shared_keys]
    members = []
    for candidate, distance in chosen:
        reason = _("Partage les actions %(actions)s ; %(place)s") % {
            "actions": _quoted(titles_by_key.get(k, k) for k in sorted(candidate.keys & shared)),
            "place": _place_reason(seed, candidate, distance),
        }
        members.append(SuggestedMember(candidate.support, reason[:500], distance))
    where = seed.department_name or seed.commune_name
    name = _("%(action)s — %(where)s") % {"action": shared_titles[0], "where": where}
    rationale = _(
        "%(count)s associations qui ont choisi l'accompagnement collectif, partagent les "
        "actions %(actions)s et sont dans le même département ou à moins de %(km)s km de "
        "%(commune)s."
    ) % {
        "count": len(members),
        "actions": _quoted(shared_titles),
        "km": call.support_radius_km,
        "commune": seed.commune_name,
    }
    return SuggestedCohort(
        call_id=call.pk,
        name=name[:200],
        action_keys=shared_keys,
        action_titles=shared_titles,
        department_code=seed.department_code,
        rationale=rationale,
        members=members,
    )


def suggest(call, supports=None) -> list[SuggestedCohort]:
    """The cohorts the platform proposes for ``call`` (sizes within the call's bounds).

    Greedy and deterministic: seeds are taken in the order of how common their most shared
    action is (then by id); each seed keeps the action it shares with the most free
    neighbours, and the nearest of them (same department first) up to ``cohort_max``.
    ``supports``, when the caller already read them, are ``collective_candidates(call)``.
    """
    if supports is None:
        supports = collective_candidates(call)
    candidates = [_candidate(s) for s in supports]
    low, high = max(call.cohort_min, 2), max(call.cohort_max, 2)
    by_key = defaultdict(list)
    for candidate in candidates:
        for key in candidate.keys:
            by_key[key].append(candidate)
    popularity = {key: len(members) for key, members in by_key.items()}
    seeds = sorted(
        (c for c in candidates if c.keys),
        key=lambda c: (-max(popularity[k] for k in c.keys), c.support.pk),
    )
    taken: set[int] = set()
    suggestions = []
    for seed in seeds:
        if seed.support.pk in taken:
            continue
        best: list[tuple[_Candidate, float | None]] = []
        for key in sorted(seed.keys):
            if popularity[key] < low:
                continue
            near = []
            for other in by_key[key]:
                if other.support.pk in taken:
                    continue
                close, distance = _near(seed, other, call.support_radius_km)
                if close:
                    near.append((other, distance))
            if len(near) > len(best):
                best = near
        if len(best) < low:
            continue
        best.sort(
            key=lambda pair: (
                pair[0] is not seed,
                pair[0].department_code != seed.department_code,
                pair[1] if pair[1] is not None else 1e9,
                pair[0].support.pk,
            )
        )
        chosen = best[:high]
        taken.update(c.support.pk for c, _d in chosen)
        suggestions.append(_build(call, seed, chosen))
    return suggestions


def suggestion_by_key(call, key: str) -> SuggestedCohort | None:
    return next((s for s in suggest(call) if s.key == key), None)


def cohorts_of(call):
    return (
        Cohort.objects.filter(call=call)
        .exclude(status=CohortStatus.DROPPED)
        .select_related("actor")
        .prefetch_related("supports__application__organisation__commune")
        .order_by("name", "pk")
    )


def cohort_by_pk(call, pk) -> Cohort | None:
    return Cohort.objects.select_related("call", "actor").filter(call=call, pk=pk).first()


def addable_supports(cohort):
    """The call's collective supports the team may add to ``cohort``."""
    return collective_candidates(cohort.call).exclude(cohort=cohort)


def members_of(cohort):
    return (
        cohort.supports.select_related("application__organisation__commune__department")
        .exclude(application__status=ApplicationStatus.WITHDRAWN)
        .order_by("application__organisation__name")
    )


def history_of(cohort):
    return cohort.transitions.select_related("actor").order_by("at", "pk")


SCHEDULABLE_STATUSES = (CohortStatus.ASSIGNED, CohortStatus.RUNNING)


def cohort_of_pk(pk) -> Cohort | None:
    return Cohort.objects.select_related("call", "actor").filter(pk=pk).first()


def member_organisation_ids(cohort) -> list[int]:
    """The associations the cohort's events are reserved to (withdrawn dossiers left out)."""
    return list(members_of(cohort).values_list("application__organisation_id", flat=True))


def upcoming_events(cohort) -> list:
    """The cohort's planned sessions not over yet (agenda events), soonest first."""
    ids = CohortEvent.objects.filter(cohort=cohort).values_list("event_id", flat=True)
    return agenda_selectors.upcoming_by_ids(ids)
