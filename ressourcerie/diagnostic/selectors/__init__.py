"""Reads of the self-diagnostic: questionnaire, responses, comparisons and aggregates."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Avg, Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from ressourcerie.core.models import Department
from ressourcerie.core.models.organisations import MembersBand, Sector
from ressourcerie.core.permissions import can_moderate
from ressourcerie.core.tokens import hash_token

from .. import engine, plan, recommendations
from ..models import (
    QUESTIONNAIRE_MACHINE,
    Answer,
    Axis,
    AxisScore,
    DiagnosticResponse,
    Questionnaire,
    QuestionnaireStatus,
)

# What other parts read of the plan's actions and add under them (the agenda).
from .links import (  # noqa: F401
    OPEN_PLAN_STATUSES,
    PlanLink,
    PlanPlace,
    associations_planning,
    plan_action_choices,
    plan_action_titles,
    register_plan_source,
)

# The action plan kept per association and its neighbours, read by views and other parts.
from .plans import (  # noqa: F401
    KeptAction,
    OrganisationPlan,
    allowed_plan_moves,
    association_level,
    association_plan,
    done_between,
    frequent_actions_by_department,
    kept_action_for,
    plans_of,
    resources_at_level,
    support_codes_of,
    written_rule_key,
)

# Where the session keeps the response being taken: {"id": pk, "token": raw resume token}.
SESSION_KEY = "diagnostic"

# Below this many completed responses, a group's averages are never shown nor exported.
MIN_GROUP = 10


def published_questionnaire() -> Questionnaire | None:
    return Questionnaire.objects.filter(status=QuestionnaireStatus.PUBLISHED).first()


def questionnaire_by_pk(pk) -> Questionnaire | None:
    """A version by its id as posted by a form (None for anything else)."""
    pk = str(pk or "")
    return Questionnaire.objects.filter(pk=int(pk)).first() if pk.isdigit() else None


def allowed_moves(questionnaire: Questionnaire, user) -> list[str]:
    """The statuses ``user`` may move this version to (the team only)."""
    if not can_moderate(user):
        return []
    return QUESTIONNAIRE_MACHINE.moves_from(questionnaire.status)


def versions_for(user) -> list[Questionnaire]:
    """Every version, newest first, with its number of responses (``n``) and the moves
    ``user`` may make (``moves``) for the staff page."""
    questionnaires = list(Questionnaire.objects.annotate(n=Count("responses")))
    for questionnaire in questionnaires:
        questionnaire.moves = allowed_moves(questionnaire, user)
    return questionnaires


# Published and archived versions never change (every door refuses an edit; reloading a
# version nobody answered saves it): their structure is built once per process and version
# state (``updated_at``), a few at most. Drafts are always read afresh.
_STRUCTURES: dict = {}
STRUCTURES_KEPT = 8


def structure(questionnaire: Questionnaire) -> engine.Structure:
    if questionnaire.is_draft:
        return engine.build_structure(questionnaire)
    key = (questionnaire.pk, questionnaire.version, questionnaire.updated_at)
    found = _STRUCTURES.get(key)
    if found is None:
        found = engine.build_structure(questionnaire)
        while len(_STRUCTURES) >= STRUCTURES_KEPT:
            _STRUCTURES.pop(next(iter(_STRUCTURES)))
        _STRUCTURES[key] = found
    return found


def rules_of(questionnaire: Questionnaire) -> list:
    """The version's rules (the plan's actions) with their axis, question and option, kept
    like its ``structure`` (a published version's rules are read-only too)."""
    if questionnaire.is_draft:
        return _read_rules(questionnaire)
    key = ("rules", questionnaire.pk, questionnaire.version, questionnaire.updated_at)
    found = _STRUCTURES.get(key)
    if found is None:
        found = _read_rules(questionnaire)
        while len(_STRUCTURES) >= STRUCTURES_KEPT:
            _STRUCTURES.pop(next(iter(_STRUCTURES)))
        _STRUCTURES[key] = found
    return found


def _read_rules(questionnaire: Questionnaire) -> list:
    return list(questionnaire.rules.select_related("axis", "question", "option"))


def forget_structures() -> None:
    """Empty this process's structures and rules (tests: a test may rewrite a published
    version's rows, which production never does, and the next test restores the same rows)."""
    _STRUCTURES.clear()


MAILED_LINK_SALT = "ressourcerie.diagnostic.mailed-link"


def _mailed_mac(response: DiagnosticResponse) -> str:
    return salted_hmac(
        MAILED_LINK_SALT, f"{response.pk}:{response.token_hash}", algorithm="sha256"
    ).hexdigest()[:40]


def mailed_token(response: DiagnosticResponse) -> str:
    """The private link sent by e-mail: "<id>.<mac>", derived from the response's id, its
    current token hash and SECRET_KEY when the worker sends (the raw token is never stored,
    and the task keeps the id only). It opens the same response as the raw token and stops
    working with it when the token is rotated."""
    return f"{response.pk}.{_mailed_mac(response)}"


def response_by_token(raw: str) -> DiagnosticResponse | None:
    if not raw or len(raw) > 100:
        return None
    responses = DiagnosticResponse.objects.select_related(
        "questionnaire", "department", "organisation"
    )
    if "." in raw:  # a link sent by e-mail (raw tokens are base64url: never a dot)
        pk, _dot, mac = raw.partition(".")
        if not (pk.isascii() and pk.isdigit() and len(pk) <= 18):
            return None
        response = responses.filter(pk=int(pk)).first()
        if response is None or not constant_time_compare(mac, _mailed_mac(response)):
            return None
        return response
    return responses.filter(token_hash=hash_token(raw)).first()


def session_response(session) -> tuple[DiagnosticResponse | None, str]:
    """The response a session is taking and its resume token, when both still match."""
    data = session.get(SESSION_KEY) if session is not None else None
    if not isinstance(data, dict):
        return None, ""
    pk, raw = data.get("id"), data.get("token")
    # The session is ours, but an old or hand-edited one must not turn into a server error.
    if type(pk) is not int or not isinstance(raw, str) or not raw or len(raw) > 100:
        return None, ""
    response = response_by_token(raw)
    if response is None or response.pk != pk:
        return None, ""
    return response, raw


def answers_of(response: DiagnosticResponse) -> engine.Answers:
    """The response's answers, in one query (a row per answer and option chosen)."""
    values: dict[int, int | None] = {}
    options: dict[int, list[int]] = {}
    rows = (
        Answer.objects.filter(response=response)
        .order_by("pk")
        .values_list("question_id", "value", "options__id")
    )
    for question_id, value, option_id in rows:
        values[question_id] = value
        chosen = options.setdefault(question_id, [])
        if option_id is not None:
            chosen.append(option_id)
    return {
        question_id: engine.AnswerValue(option_ids=tuple(sorted(options[question_id])), value=value)
        for question_id, value in values.items()
    }


def stored_scores(response: DiagnosticResponse) -> dict[str, int]:
    return dict(response.axis_scores.values_list("axis_key", "score"))


def latest_completed_for_organisation(organisation, *, exclude=None) -> DiagnosticResponse | None:
    queryset = DiagnosticResponse.objects.filter(
        organisation=organisation, completed_at__isnull=False
    )
    if exclude is not None:
        queryset = queryset.exclude(pk=exclude.pk)
    return queryset.order_by("-completed_at").first()


def previous_completed(response: DiagnosticResponse) -> DiagnosticResponse | None:
    """The response to compare with: the one it retakes, else the organisation's last one."""
    previous = response.previous
    while previous is not None and not previous.is_completed:
        previous = previous.previous
    if previous is None and response.organisation_id:
        previous = (
            DiagnosticResponse.objects.filter(
                organisation_id=response.organisation_id,
                completed_at__isnull=False,
                completed_at__lt=response.completed_at or response.created_at,
            )
            .exclude(pk=response.pk)
            .order_by("-completed_at")
            .first()
        )
    return previous


# --- a person's own diagnostics ("Mes diagnostics") ------------------------------------------
def responses_of(user):
    """A person's own diagnostics, newest first (by completion, else by start date)."""
    step_count = (
        Axis.objects.filter(questionnaire=OuterRef("questionnaire_id"))
        .order_by()
        .values("questionnaire_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return (
        DiagnosticResponse.objects.filter(user=user)
        .select_related("organisation", "previous")
        .annotate(step_count=Subquery(step_count))
        .order_by(Coalesce("completed_at", "created_at").desc(), "-pk")
    )


@dataclass
class OwnDiagnostic:
    response: DiagnosticResponse
    previous_overall: int | None
    delta: int | None

    @property
    def change(self) -> int:
        """The size of the change, for "+3 points" / "−3 points"."""
        return abs(self.delta or 0)


def with_evolution(responses) -> list[OwnDiagnostic]:
    """Each response with the overall score of the one its results page compares it to."""
    rows = []
    for response in responses:
        previous = previous_completed(response) if response.is_completed else None
        before = previous.overall_score if previous is not None else None
        delta = (
            response.overall_score - before
            if before is not None and response.overall_score is not None
            else None
        )
        rows.append(OwnDiagnostic(response, before, delta))
    return rows


def resumable_of(user) -> DiagnosticResponse | None:
    """The person's most recent unfinished diagnostic: the one "Reprendre" brings back."""
    return (
        DiagnosticResponse.objects.filter(user=user, completed_at__isnull=True)
        .order_by("-created_at", "-pk")
        .first()
    )


def completed_of(user, pk: int) -> DiagnosticResponse | None:
    """One of the person's completed diagnostics (None for anyone else's or an unfinished one)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        DiagnosticResponse.objects.select_related("questionnaire", "department", "organisation")
        .filter(pk=pk, user=user, completed_at__isnull=False)
        .first()
    )


@dataclass
class Comparison:
    label: str
    count: int
    averages: dict[str, int]
    overall: int | None


def _group_averages(filters: Q, exclude_pk=None) -> tuple[int, dict[str, int], int | None]:
    responses = DiagnosticResponse.objects.filter(filters, completed_at__isnull=False)
    if exclude_pk:
        responses = responses.exclude(pk=exclude_pk)
    count = responses.count()
    if count < MIN_GROUP:
        return count, {}, None
    rows = (
        AxisScore.objects.filter(response__in=responses)
        .values("axis_key")
        .annotate(avg=Avg("score"), n=Count("id"))
    )
    averages = {r["axis_key"]: round(r["avg"]) for r in rows if r["n"] >= MIN_GROUP}
    overall = responses.aggregate(avg=Avg("overall_score"))["avg"]
    return count, averages, round(overall) if overall is not None else None


def comparisons(response: DiagnosticResponse) -> list[Comparison]:
    """Averages of similar associations, only for groups backed by at least MIN_GROUP
    completed responses (the person's own response is left out)."""
    groups = []
    if response.members_band:
        groups.append(
            (
                Q(members_band=response.members_band),
                _("Associations de même taille (%(band)s)")
                % {"band": MembersBand(response.members_band).label},
            )
        )
    if response.sector:
        groups.append(
            (
                Q(sector=response.sector),
                _("Associations du même secteur (%(sector)s)")
                % {"sector": Sector(response.sector).label},
            )
        )
    if response.department_id:
        groups.append(
            (
                Q(department_id=response.department_id),
                _("Associations du même département (%(name)s)")
                % {"name": response.department.name},
            )
        )
    result = []
    for filters, label in groups:
        count, averages, overall = _group_averages(filters, exclude_pk=response.pk)
        if count >= MIN_GROUP and averages:
            result.append(Comparison(label, count, averages, overall))
    return result


def plan_for(
    response: DiagnosticResponse, structure: engine.Structure, scores, answers, *, resources=True
):
    """The response's action plan (``plan.Plan``), computed when shown: with the action its
    free-text answer matched, and catalogue tools at the association's level. Without
    ``resources``, only the ranked actions (what an association's kept plan stores)."""
    rules = rules_of(response.questionnaire)
    return plan.build_plan(
        rules,
        context_of(response, structure, scores, answers),
        resources=resources,
        written=response.problem_text,
        written_key=written_rule_key(response.problem_text, rules),
        keep_resource=resources_at_level(association_level(scores)),
    )


def context_of(response: DiagnosticResponse, structure: engine.Structure, scores, answers):
    return recommendations.Context(
        structure=structure,
        scores=scores,
        answers=answers,
        department_code=response.department.code if response.department_id else "",
        sector=response.sector,
        members_band=response.members_band,
        extra={"response_id": response.pk, "organisation_id": response.organisation_id},
    )


# --- staff dashboard -------------------------------------------------------------------------
def completed_responses():
    return DiagnosticResponse.objects.filter(completed_at__isnull=False)


def in_progress_count() -> int:
    return DiagnosticResponse.objects.filter(completed_at__isnull=True).count()


def counts_by_department():
    return list(
        completed_responses()
        .values("department__code", "department__name")
        .annotate(n=Count("id"), avg=Avg("overall_score"))
        .order_by("-n", "department__code")
    )


def counts_by_sector():
    labels = dict(Sector.choices)
    rows = completed_responses().values("sector").annotate(n=Count("id"), avg=Avg("overall_score"))
    return [
        {**r, "label": labels.get(r["sector"], _("Non renseigné"))}
        for r in sorted(rows, key=lambda r: -r["n"])
    ]


def average_by_axis():
    """Average score per axis key, labelled with the published version's axis names."""
    questionnaire = published_questionnaire()
    names = dict(questionnaire.axes.values_list("key", "name")) if questionnaire else {}
    rows = (
        AxisScore.objects.filter(response__completed_at__isnull=False)
        .values("axis_key")
        .annotate(
            avg=Avg("score"), n=Count("id"), priorities=Count("id", filter=Q(is_priority=True))
        )
    )
    order = list(names)
    return sorted(
        (
            {
                "key": r["axis_key"],
                "name": names.get(r["axis_key"], r["axis_key"]),
                "avg": round(r["avg"]),
                "n": r["n"],
                "priorities": r["priorities"],
            }
            for r in rows
        ),
        key=lambda r: order.index(r["key"]) if r["key"] in order else len(order),
    )


def aggregate_rows():
    """Anonymous aggregates for the CSV: one row per group (all, department, sector, band)
    with at least MIN_GROUP completed responses; smaller groups are left out entirely."""
    questionnaire = published_questionnaire()
    axis_keys = list(questionnaire.axes.values_list("key", flat=True)) if questionnaire else []
    groups: list[tuple[str, str, str, Q]] = [("ensemble", "", str(_("Toutes")), Q())]
    for code, name in Department.objects.filter(
        pk__in=completed_responses().values("department")
    ).values_list("code", "name"):
        groups.append(("departement", code, name, Q(department__code=code)))
    for value, label in Sector.choices:
        groups.append(("secteur", value, str(label), Q(sector=value)))
    for value, label in MembersBand.choices:
        groups.append(("taille", value, str(label), Q(members_band=value)))
    rows = []
    for dimension, code, label, filters in groups:
        count, averages, overall = _group_averages(filters)
        if count < MIN_GROUP:
            continue
        rows.append(
            {
                "dimension": dimension,
                "code": code,
                "libelle": label,
                "diagnostics": count,
                "score_global_moyen": overall if overall is not None else "",
                **{f"axe_{k}": averages.get(k, "") for k in axis_keys},
            }
        )
    return rows, ["dimension", "code", "libelle", "diagnostics", "score_global_moyen"] + [
        f"axe_{k}" for k in axis_keys
    ]


# --- for other parts ---------------------------------------------------------------------------
def summary_of(response: DiagnosticResponse):
    """``(scores, plan)`` of a completed response — what another part (the support fund) copies
    from a diagnostic: ``scores.axes`` (key, name, score, is_priority) and ``plan.actions``."""
    structure_ = structure(response.questionnaire)
    answers = answers_of(response)
    scores = engine.compute_scores(structure_, answers)
    return scores, plan_for(response, structure_, scores, answers)
