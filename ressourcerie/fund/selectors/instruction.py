"""Instruction: routing to reviewer groups, reviews and the committee's ranking."""

from ..models import Application, ReviewerGroup


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
