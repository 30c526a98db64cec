"""The team's exports of a call's dossiers with all their scores, as CSV (cells through
``core.csvcells.safe_cell``) and as an OpenDocument spreadsheet (``core.ods``)."""

import csv
import io
from collections import defaultdict

from django.utils import timezone
from django.utils.translation import gettext as _

from ressourcerie.core.csvcells import safe_cell

from . import text
from .models import Review, ReviewCriterion
from .models.applications import DS_STATES
from .selectors.committee import weighted_scores


def table(applications, call=None) -> tuple[list[str], list[list]]:
    """Header and rows: the dossier, its decision, its weighted score, each criterion's
    average when one call is exported, and every submitted review in one cell."""
    applications = list(applications)
    criteria = list(ReviewCriterion.objects.filter(call=call)) if call is not None else []
    scores = weighted_scores(applications)
    reviews = defaultdict(list)
    per_criterion = defaultdict(lambda: defaultdict(list))
    for review in (
        Review.objects.filter(
            application_id__in=[a.pk for a in applications],
            submitted_at__isnull=False,
            conflict_declared=False,
        )
        .select_related("reviewer")
        .prefetch_related("scores__criterion")
        .order_by("submitted_at", "pk")
    ):
        parts = [f"{s.criterion.title} {s.score}/5" for s in review.scores.all()]
        reviews[review.application_id].append(
            f"{review.reviewer} : {', '.join(parts)} — {review.get_recommendation_display()}"
        )
        for s in review.scores.all():
            per_criterion[review.application_id][s.criterion_id].append(s.score)
    header = [
        _("numéro"),
        _("appel"),
        _("association"),
        _("département"),
        _("état"),
        _("état Démarches simplifiées"),
        _("déposé le"),
        _("groupe"),
        _("jours souhaités"),
        _("points de priorité"),
        _("note pondérée (sur 5)"),
        _("évaluations rendues"),
        *[_("moyenne : %(title)s") % {"title": c.title} for c in criteria],
        _("jours accordés"),
        _("montant accordé (€)"),
        _("motif ou conditions"),
        _("détail des évaluations"),
    ]
    rows = []
    for a in applications:
        commune = a.organisation.commune
        score, count = scores.get(a.pk, (None, 0))
        averages = []
        for c in criteria:
            values = per_criterion[a.pk].get(c.pk, [])
            averages.append(f"{sum(values) / len(values):.2f}" if values else "")
        rows.append(
            [
                a.reference,
                a.call.title,
                a.organisation.name,
                commune.department.code if commune is not None else "",
                a.get_status_display(),
                DS_STATES.get(a.status, ""),
                timezone.localtime(a.submitted_at).strftime("%d/%m/%Y") if a.submitted_at else "",
                a.group.name if a.group_id else "",
                text.days(a.days_requested) if a.days_requested is not None else "",
                a.priority_points,
                str(score) if score is not None else "",
                count,
                *averages,
                text.days(a.days_granted) if a.days_granted is not None else "",
                a.amount_granted if a.amount_granted is not None else "",
                a.conditions or a.decision_reason,
                " | ".join(reviews[a.pk]),
            ]
        )
    return header, rows


def to_csv(header, rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return out.getvalue()
