"""The organiser's attendance list beside the page: as ODS, and as a sheet to print and
sign (the CSV is ``organiser.registrations_csv``; all three from ``exports``)."""

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from ressourcerie.core.navigation import crumbs

from .. import exports
from .common import PART, event_or_404, signed_in_or_login


@never_cache
def registrations_ods(request, pk):
    if refusal := signed_in_or_login(request):
        return refusal
    return exports.ods(event_or_404(request, pk, edit=True))


@never_cache
def attendance_sheet(request, pk):
    if refusal := signed_in_or_login(request):
        return refusal
    event = event_or_404(request, pk, edit=True)
    return render(
        request,
        "agenda/attendance_sheet.html",
        {
            "event": event,
            "sessions": list(event.sessions.all()),
            "rows": exports.registered_rows(event),
            "crumbs": crumbs(
                PART,
                "agenda:index",
                (event.title, event.get_absolute_url()),
                (_("Inscrits"), reverse("agenda:registrations", args=[event.pk])),
                (_("Feuille d'émargement"), None),
            ),
        },
    )
