"""Applications: the association's own, one by reference, and the diagnostic snapshot an
application starts from."""

from collections.abc import Callable
from datetime import timedelta
from urllib.parse import quote

from django.urls import reverse
from django.utils import timezone
from django.utils.http import RFC3986_SUBDELIMS

from ressourcerie.diagnostic import selectors as diagnostic

from ..eligibility import Snapshot
from ..models import Application, ApplicationStatus

# A diagnostic older than this asks to be retaken before applying.
SNAPSHOT_MAX_AGE = timedelta(days=365)


def url_by_reference(url_name: str) -> Callable[[str], str]:
    """The address of a dossier's page (``url_name`` takes its reference) for each row of a
    list: reversed once, then each reference put in its place and quoted as ``reverse``
    does (one ``reverse`` per link was a tenth of a 50-row page's time, #15 measure)."""
    marker = "0REFERENCE0"
    before, after = reverse(url_name, args=[marker]).split(marker)
    return lambda reference: f"{before}{quote(reference, safe=RFC3986_SUBDELIMS + '~:@')}{after}"


def application_by_reference(reference: str) -> Application | None:
    return (
        Application.objects.select_related("call", "organisation__commune__department", "group")
        .filter(reference=reference)
        .first()
    )


def applications_of(organisation):
    return (
        Application.objects.filter(organisation=organisation)
        .exclude(status=ApplicationStatus.WITHDRAWN)
        .select_related("call")
        .order_by("-created_at")
    )


def is_first_application(organisation, *, exclude=None) -> bool:
    """No earlier application submitted by this association (drafts and withdrawn ones
    do not count)."""
    queryset = Application.objects.filter(organisation=organisation, submitted_at__isnull=False)
    if exclude is not None:
        queryset = queryset.exclude(pk=exclude.pk)
    return not queryset.exists()


def latest_diagnostic(organisation):
    return diagnostic.latest_completed_for_organisation(organisation)


def is_diagnostic_too_old(response) -> bool:
    return response is None or timezone.now() - response.completed_at > SNAPSHOT_MAX_AGE


def snapshot_of(response) -> Snapshot:
    """Scores per axis with the priority flags, and the plan's actions (the ten ranked ones
    then those under "Aller plus loin"), as a JSON-ready snapshot."""
    if response is None:
        return Snapshot()
    scores, plan = diagnostic.summary_of(response)
    actions = [*plan.actions, *(a for group in plan.further for a in group.actions)]
    return Snapshot(
        completed_at=response.completed_at,
        axes=[
            {"key": a.key, "name": a.name, "score": a.score, "priority": a.is_priority}
            for a in scores.axes
        ],
        actions=[
            {"key": a.key, "title": a.title, "axis_key": a.axis_key, "axis_name": a.axis_name}
            for a in actions
        ],
    )


def snapshot_from_json(data: dict) -> Snapshot:
    return Snapshot(
        completed_at=data.get("completed_at"),
        axes=data.get("axes", []),
        actions=data.get("actions", []),
    )


def applications_for_user(user):
    """The dossiers of every association the user belongs to, newest first."""
    if not getattr(user, "is_authenticated", False):
        return Application.objects.none()
    return (
        Application.objects.filter(organisation__memberships__user=user)
        .select_related("call", "organisation")
        .distinct()
        .order_by("-created_at")
    )


def history_of(application):
    return application.transitions.select_related("actor").order_by("at", "pk")


def chosen_actions(application) -> list[dict]:
    """The snapshot's plan actions the association chose, in the plan's order."""
    chosen = set(application.action_keys or [])
    return [a for a in application.diagnostic_snapshot.get("actions", []) if a["key"] in chosen]


def correction_request(application):
    """The reason of the latest move to "à corriger", shown while the dossier is to correct."""
    if application.status != ApplicationStatus.TO_CORRECT:
        return None
    return (
        application.transitions.filter(to_status=ApplicationStatus.TO_CORRECT)
        .order_by("-at", "-pk")
        .first()
    )
