"""The team's pages: importing places, deciding claims, reviewing edits, stale listings."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ressourcerie.core.navigation import crumbs
from ressourcerie.core.permissions import team_required

from .. import selectors, services
from ..forms import ClaimDecisionForm, ImportForm
from ..importers import import_file
from .common import PART


@team_required
@require_http_methods(["GET", "POST"])
def import_places(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = import_file(
            data=upload.read(),
            file_name=upload.name[:200],
            dataset=form.cleaned_data["dataset"],
            dry_run=form.cleaned_data["dry_run"],
        )
        services.log_import(report=report, by=request.user)
    return render(
        request,
        "directory/import.html",
        {
            "form": form,
            "report": report,
            "crumbs": crumbs(PART, "directory:near", (_("Importer des lieux"), None)),
        },
    )


@team_required
def claim_requests(request):
    claims = list(selectors.pending_claims()[:100])
    for item in claims:
        item.moves = services.allowed_moves(item, request.user)
        item.form = ClaimDecisionForm(moves=item.moves, prefix=f"claim-{item.pk}")
    recent = selectors.decided_claims()[:20]
    return render(
        request,
        "directory/claim_requests.html",
        {
            "claims": claims,
            "recent": recent,
            "crumbs": crumbs(
                _("Gestion"), "core:staff", (_("Demandes de gestion de fiches"), None)
            ),
        },
    )


@require_POST
@team_required
def claim_decide(request, pk):
    item = selectors.pending_claim(pk)
    if item is None:
        raise Http404
    item.moves = services.allowed_moves(item, request.user)
    form = ClaimDecisionForm(request.POST, moves=item.moves, prefix=f"claim-{item.pk}")
    if form.is_valid():
        try:
            services.transition_claim(
                claim=item,
                to_status=form.target_status(),
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except services.DirectoryError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Décision enregistrée ; la personne est prévenue."))
            return redirect("directory:claims")
    item.form = form
    return render(
        request,
        "directory/claim_requests.html",
        {
            "claims": [item],
            "recent": [],
            "crumbs": crumbs(
                _("Gestion"),
                "core:staff",
                (_("Demandes de gestion de fiches"), reverse("directory:claims")),
                (item.place.name, None),
            ),
        },
        status=400,
    )


@team_required
def edit_review(request, pk):
    """What an edit changes, before and after, for the moderator."""
    edit = selectors.edit_for_review(pk)
    if edit is None:
        raise Http404
    rows = selectors.edit_review_rows(edit)
    return render(
        request,
        "directory/edit_review.html",
        {
            "edit": edit,
            "rows": rows,
            "crumbs": crumbs(
                _("Gestion"),
                "core:staff",
                (_("Modération"), reverse("core:moderation_queue")),
                (edit.place.name, None),
            ),
        },
    )


@team_required
@require_http_methods(["GET", "POST"])
def stale_places(request):
    if request.method == "POST":
        place = selectors.published_place(request.POST.get("place"))
        if place is None:
            raise Http404
        services.confirm_place(place=place, by=request.user)
        messages.success(
            request, _("« %(name)s » est marquée comme vérifiée.") % {"name": place.name}
        )
        return redirect(f"{reverse('directory:stale')}?{request.GET.urlencode()}")
    queryset = selectors.stale_places()
    page_obj = Paginator(queryset, 25).get_page(request.GET.get("page"))
    for place in page_obj.object_list:
        place.last_confirmed = selectors.last_confirmed_at(place)
    return render(
        request,
        "directory/stale.html",
        {
            "page_obj": page_obj,
            "places": page_obj.object_list,
            "total": page_obj.paginator.count,
            "crumbs": crumbs(_("Gestion"), "core:staff", (_("Fiches à vérifier"), None)),
        },
    )
