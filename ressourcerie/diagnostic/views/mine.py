"""« Mes diagnostics »: a signed-in person's past diagnostics."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ressourcerie.core.navigation import crumbs

from .. import selectors, services
from ..models import DiagnosticResponse
from .results import pdf_response, results_context
from .session import remember

MINE_PER_PAGE = 20


@login_required
def mine(request):
    page = Paginator(selectors.responses_of(request.user), MINE_PER_PAGE).get_page(
        request.GET.get("page")
    )
    resumable = selectors.resumable_of(request.user)
    return render(
        request,
        "diagnostic/mine.html",
        {
            "page_obj": page,
            "rows": selectors.with_evolution(page.object_list),
            "resumable_id": resumable.pk if resumable else None,
            "crumbs": crumbs(_("Autodiagnostic"), "diagnostic:intro", (_("Mes diagnostics"), None)),
        },
    )


def _own_completed_or_404(request, pk: int) -> DiagnosticResponse:
    response = selectors.completed_of(request.user, pk)
    if response is None:
        raise Http404
    return response


@login_required
def mine_detail(request, pk):
    response = _own_completed_or_404(request, pk)
    date = timezone.localdate(response.completed_at)
    trail = crumbs(
        _("Autodiagnostic"),
        "diagnostic:intro",
        (_("Mes diagnostics"), reverse("diagnostic:mine")),
        (_("Diagnostic du %(date)s") % {"date": formats.date_format(date)}, None),
    )
    return render(
        request, "diagnostic/results.html", results_context(request, response, "", trail=trail)
    )


@login_required
def mine_pdf(request, pk):
    return pdf_response(request, _own_completed_or_404(request, pk), "")


@login_required
@require_POST
def mine_resume(request, pk):
    response = selectors.resumable_of(request.user)
    if response is None or response.pk != pk:
        raise Http404
    remember(request, response, services.rotate_token(response=response))
    messages.info(
        request,
        _(
            "Votre diagnostic est repris là où vous l'aviez laissé. Votre lien privé a "
            "changé : l'ancien ne fonctionne plus, le nouveau est en bas de chaque étape."
        ),
    )
    return redirect("diagnostic:step", response.current_step)
