"""Instruction: routing to reviewer groups, the team's and reviewers' lists, what one dossier
shows to whom, and the experts' private links. The committee's ranking is in ``committee``."""

from base64 import urlsafe_b64encode
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db.models import Count, Exists, OuterRef, Prefetch
from django.utils import timezone
from django.utils.crypto import salted_hmac

from ressourcerie.accounts.models import Membership
from ressourcerie.core.tokens import hash_token

from .. import eligibility
from ..models import (
    Application,
    ApplicationStatus,
    ExpertOpinion,
    Review,
    ReviewerGroup,
    ReviewScore,
)
from ..models.applications import PENDING_STATUSES
from . import applications as application_selectors
from .committee import STATUS_LABELS


def group_for(application: Application) -> ReviewerGroup | None:
    """The reviewer group an application is routed to: the first group (by order) covering
    the association's department, else the first whose diagnostic axes include one of the
    dossier's priority axes, else the first default group (no department, no axis)."""
    commune = application.organisation.commune
    department_id = commune.department_id if commune is not None else None
    groups = list(ReviewerGroup.objects.prefetch_related("departments"))
    if department_id is not None:
        for group in groups:
            if any(d.pk == department_id for d in group.departments.all()):
                return group
    priority_axes = {
        axis["key"]
        for axis in application.diagnostic_snapshot.get("axes", [])
        if axis.get("priority")
    }
    for group in groups:
        if priority_axes & set(group.axis_keys or []):
            return group
    for group in groups:
        if not group.axis_keys and not group.departments.all():
            return group
    return None


# --- lists -----------------------------------------------------------------------------------

# What the instruction lists show: submitted dossiers, never drafts.
LISTED_STATUSES = [s for s in ApplicationStatus if s != ApplicationStatus.DRAFT]


@dataclass(frozen=True)
class ListFilters:
    call: int | None = None
    status: str = ""
    group: int | None = None
    label: int | None = None
    department: str = ""

    @property
    def active(self) -> bool:
        return any((self.call, self.status, self.group, self.label, self.department))


# What a list row shows (and the exports read): never the snapshot nor the long texts, which
# would be carried through the sort.
LIST_FIELDS = (
    "reference",
    "status",
    "submitted_at",
    "days_requested",
    "priority_points",
    "days_granted",
    "amount_granted",
    "decision_reason",
    "conditions",
    "call__title",
    "call__slug",
    "organisation__name",
    "organisation__commune__name",
    "organisation__commune__department__code",
    "organisation__commune__department__name",
    "group__name",
)


def staff_applications(filters: ListFilters):
    """The team's list: every submitted dossier, newest first, narrowed by the filters."""
    queryset = Application.objects.filter(status__in=LISTED_STATUSES)
    if filters.call:
        queryset = queryset.filter(call_id=filters.call)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.group:
        queryset = queryset.filter(group_id=filters.group)
    if filters.label:
        queryset = queryset.filter(labels=filters.label)
    if filters.department:
        queryset = queryset.filter(organisation__commune__department__code=filters.department)
    return (
        queryset.select_related("call", "organisation__commune__department", "group")
        .only(*LIST_FIELDS)
        .order_by("-submitted_at", "-pk")
    )


def staff_application_ids(filters: ListFilters):
    """The same list as ids only: the sort runs on the narrow table, then a page of rows is
    read with ``list_rows`` (a list of thousands stays fast)."""
    return staff_applications(filters).select_related(None).only("pk").values_list("pk", flat=True)


@dataclass(frozen=True)
class ListRow:
    """One line of the team's list, as shown: plain values, no model instance (#15 measure:
    building and displaying 50 dossiers with their relations was most of the page's time)."""

    reference: str
    url: str  # the dossier's instruction page
    status_label: str
    submitted_at: datetime | None
    organisation: str
    department: str
    call: str
    group: str
    labels: list[str]


def list_rows(ids) -> list[ListRow]:
    """A page of the team's list, in the order of ``ids``: one query for the rows, one for
    their labels."""
    ids = list(ids)
    url_of = application_selectors.url_by_reference("fund:instruction")
    found = {
        values[0]: values
        for values in Application.objects.filter(pk__in=ids)
        .order_by()
        .values_list(
            "pk",
            "reference",
            "status",
            "submitted_at",
            "organisation__name",
            "organisation__commune__department__code",
            "call__title",
            "group__name",
        )
    }
    labels = labels_by_application(ids)
    return [
        ListRow(
            reference=reference,
            url=url_of(reference),
            status_label=STATUS_LABELS.get(status, status),
            submitted_at=submitted_at,
            organisation=organisation,
            department=department or "",
            call=call,
            group=group or "",
            labels=labels.get(pk, []),
        )
        for pk, reference, status, submitted_at, organisation, department, call, group in (
            found[pk] for pk in ids if pk in found
        )
    ]


def status_counts(filters: ListFilters) -> list[tuple[str, str, int]]:
    """(status, label, count) of the dossiers matching every filter but the status."""
    without_status = ListFilters(
        call=filters.call, group=filters.group, label=filters.label, department=filters.department
    )
    counts = dict(
        staff_applications(without_status)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return [(s.value, s.label, counts.get(s.value, 0)) for s in LISTED_STATUSES]


def labels_by_application(ids) -> dict[int, list[str]]:
    """The labels of a page of dossiers (their ids), by name, in one query."""
    result = defaultdict(list)
    rows = (
        Application.labels.through.objects.filter(application_id__in=list(ids))
        .order_by("label__name")
        .values_list("application_id", "label__name")
    )
    for application_id, name in rows:
        result[application_id].append(name)
    return result


def conflicted_application_ids(user) -> set[int]:
    """Dossiers the reviewer may not instruct: their associations', or a declared conflict."""
    organisations = Membership.objects.filter(user=user, organisation__isnull=False).values(
        "organisation_id"
    )
    member_of = Application.objects.filter(organisation_id__in=organisations).values_list(
        "pk", flat=True
    )
    declared = Review.objects.filter(reviewer=user, conflict_declared=True).values_list(
        "application_id", flat=True
    )
    return set(member_of) | set(declared)


def reviewer_applications(user):
    """The dossiers routed to the reviewer's groups that they may instruct, those still to
    score first, then by submission date; each carries ``my_review_submitted``."""
    submitted = Review.objects.filter(
        application=OuterRef("pk"), reviewer=user, submitted_at__isnull=False
    )
    return (
        Application.objects.filter(group__members=user, status__in=PENDING_STATUSES)
        .exclude(pk__in=conflicted_application_ids(user))
        .annotate(my_review_submitted=Exists(submitted))
        .select_related("call", "organisation__commune__department", "group")
        .order_by("my_review_submitted", "submitted_at", "pk")
    )


# --- one dossier -----------------------------------------------------------------------------


def review_of(application: Application, user) -> Review | None:
    return Review.objects.filter(application=application, reviewer=user).first()


def visible_reviews(application: Application, user, *, team: bool) -> list[Review]:
    """Submitted reviews with their scores: all of them for the team; for a reviewer, only
    once their own is submitted (so that nobody scores after reading the others)."""
    if not team:
        own = review_of(application, user)
        if own is None or own.submitted_at is None or own.conflict_declared:
            return []
    return list(
        Review.objects.filter(
            application=application, submitted_at__isnull=False, conflict_declared=False
        )
        .select_related("reviewer")
        .prefetch_related(
            Prefetch("scores", queryset=ReviewScore.objects.select_related("criterion"))
        )
        .order_by("submitted_at", "pk")
    )


@dataclass(frozen=True)
class Step:
    at: object
    from_label: str
    to_label: str
    reason: str


def history_of(application: Application) -> list[Step]:
    """The dossier's moves, with the French names of the states."""
    labels = dict(ApplicationStatus.choices)
    return [
        Step(t.at, str(labels.get(t.from_status, "")), str(labels.get(t.to_status, "")), t.reason)
        for t in application.transitions.order_by("at", "pk")
    ]


def chosen_actions(application: Application) -> list[dict]:
    """The plan's actions the association chose, in the plan's order."""
    chosen = set(application.action_keys or [])
    return [a for a in application.diagnostic_snapshot.get("actions", []) if a.get("key") in chosen]


def priorities_met(application: Application, *, first_application: bool | None = None):
    """The call's priority orientations, met or not, as at submission."""
    if first_application is None:
        first_application = not (
            Application.objects.filter(
                organisation_id=application.organisation_id,
                submitted_at__isnull=False,
                submitted_at__lt=application.submitted_at or timezone.now(),
            )
            .exclude(pk=application.pk)
            .exists()
        )
    return eligibility.priorities(
        application.call,
        application.organisation,
        application_selectors.snapshot_from_json(application.diagnostic_snapshot),
        first_application=first_application,
    )


def messages_of(application: Application):
    return application.messages.select_related("author").order_by("created_at", "pk")


def expert_opinions_of(application: Application):
    return application.expert_opinions.select_related("organisation", "requested_by")


# --- experts ---------------------------------------------------------------------------------

EXPERT_SALT = "ressourcerie.fund.expert"


def expert_secret(opinion: ExpertOpinion) -> str:
    """The expert's private link token, derived from the request's id, creation time and
    SECRET_KEY: the worker makes it again when it sends (the task keeps the id only), the
    database keeps only its hash."""
    created = opinion.created_at.astimezone(UTC).strftime("%Y%m%d%H%M%S%f")
    digest = salted_hmac(EXPERT_SALT, f"{opinion.pk}:{created}", algorithm="sha256").digest()
    return urlsafe_b64encode(digest).decode().rstrip("=")


def expert_by_hash(raw: str) -> ExpertOpinion | None:
    """The request a link names, whatever its state (revoked and answered ones included, so
    the page can say so), or None for a link never sent."""
    if not raw or len(raw) > 100:
        return None
    return (
        ExpertOpinion.objects.select_related("application__call", "application__organisation")
        .filter(token_hash=hash_token(raw))
        .first()
    )


def expert_by_token(raw: str) -> ExpertOpinion | None:
    """The live request (neither revoked nor answered) a private link opens, else None. The
    document downloads of the applying family accept ``?avis=<token>`` through it."""
    opinion = expert_by_hash(raw)
    if opinion is None or opinion.revoked_at or opinion.answered_at:
        return None
    return opinion


def experts_to_remind(today):
    """Live requests due within two days, not yet reminded (one reminder each)."""
    return ExpertOpinion.objects.filter(
        revoked_at__isnull=True,
        answered_at__isnull=True,
        reminded_at__isnull=True,
        deadline__gte=today,
        deadline__lte=today + timedelta(days=REMIND_DAYS_BEFORE),
    ).select_related("application")


REMIND_DAYS_BEFORE = 2
