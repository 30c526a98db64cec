"""The team's moderation of events submitted by organisers."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ressourcerie.core.navigation import crumbs
from ressourcerie.core.permissions import team_required

from .. import selectors, services
from ..forms import RefuseForm
from ..models import Event, Publication
from .common import PART


@team_required
def moderation(request):
    return render(
        request,
        "agenda/staff.html",
        {
            "events": selectors.to_moderate(),
            "refuse_form": RefuseForm(),
            "crumbs": crumbs(PART, "agenda:index", (_("Événements à modérer"), None)),
        },
    )


@team_required
def moderate(request, pk):
    if request.method != "POST":
        return redirect("agenda:staff")
    event = Event.objects.filter(pk=pk).first()
    if event is None:
        raise Http404
    publish = request.POST.get("decision") == "publish"
    try:
        services.transition_publication(
            event=event,
            to_status=Publication.PUBLISHED if publish else Publication.REFUSED,
            actor=request.user,
            reason=request.POST.get("reason", "")[:500],
        )
    except services.AgendaError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Événement publié.")
            if publish
            else _("Événement refusé ; l'organisateur est prévenu."),
        )
    return redirect("agenda:staff")
