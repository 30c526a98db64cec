"""The organiser's attendance list, one table for its three forms: CSV (cells through
``core.csvcells.safe_cell``), ODS (``core.ods``) and the printable sheet."""

import csv
import io

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from ressourcerie.core.csvcells import safe_cell
from ressourcerie.core.ods import ods_response

from . import per_session, selectors
from .models import RegistrationStatus

# CSV keeps its historical ASCII column names (scripts read them); ODS and print are French.
CSV_HEADER = ["nom", "courriel", "association", "statut", "presence", "inscrit_le", "seance"]


def header() -> list[str]:
    return [
        _("Nom"),
        _("Courriel"),
        _("Association"),
        _("État"),
        _("Présence"),
        _("Inscrit le"),
        _("Séance"),
    ]


def rows(event) -> list[list[str]]:
    """Every registration (the series', or session by session), in the organiser's order."""
    return [
        [
            r.name,
            r.email,
            r.organisation.name if r.organisation_id else "",
            r.get_status_display(),
            r.get_attendance_display() if r.attendance else "",
            timezone.localtime(r.created_at).strftime("%Y-%m-%d %H:%M"),
            per_session.session_text(r.session) if r.session_id else _("toute la série"),
        ]
        for r in selectors.registrations_for_organiser(event)
    ]


def registered_rows(event) -> list:
    """The printable sheet: registered people only, grouped by session."""
    return [
        r
        for r in selectors.registrations_for_organiser(event)
        if r.status == RegistrationStatus.REGISTERED
    ]


def csv_response(event) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADER)
    for row in rows(event):
        writer.writerow([safe_cell(value) for value in row])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="inscrits-{event.pk}.csv"'
    response["Cache-Control"] = "no-store"
    return response


def ods(event) -> HttpResponse:
    return ods_response(header(), rows(event), sheet=_("Inscrits"), filename=f"inscrits-{event.pk}")
