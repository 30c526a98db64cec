from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ..models import SearchSynonym
from ..navigation import crumbs
from ..permissions import team_required
from . import registry, services
from .forms import SynonymForm
from .query import MAX_QUERY_CHARS, clean, find

PER_PAGE = 20


def search_page(request):
    query = clean(request.GET.get("q", ""))
    type_key = request.GET.get("type", "")
    if registry.get(type_key) is None:
        type_key = ""
    results = find(
        query,
        types=[type_key] if type_key else None,
        page=request.GET.get("page", 1),
        per_page=PER_PAGE,
    )
    page_obj = Paginator(range(results.total), PER_PAGE).get_page(results.page)
    context = {
        "query": query,
        "type_key": type_key,
        "results": results,
        "page_obj": page_obj,
        "all_count": sum(f.count for f in results.facets),
        "max_length": MAX_QUERY_CHARS,
    }
    return render(request, "core/search/results.html", context)


@team_required
def synonym_list(request):
    context = {
        "synonyms": SearchSynonym.objects.all(),
        "crumbs": crumbs(_("Gestion"), "core:staff", (_("Synonymes de recherche"), None)),
    }
    return render(request, "core/search/synonyms.html", context)


@team_required
@require_http_methods(["GET", "POST"])
def synonym_edit(request, pk=None):
    synonym = get_object_or_404(SearchSynonym, pk=pk) if pk is not None else None
    form = SynonymForm(request.POST or None, instance=synonym)
    if request.method == "POST" and form.is_valid():
        services.save_synonym(
            synonym=synonym,
            term=form.cleaned_data["term"],
            synonyms=form.cleaned_data["synonyms"],
        )
        messages.success(request, _("Synonymes enregistrés : ils servent dès maintenant."))
        return redirect("core:search_synonyms")
    title = _("Modifier des synonymes") if synonym else _("Ajouter des synonymes")
    context = {
        "form": form,
        "synonym": synonym,
        "title": title,
        "crumbs": crumbs(
            _("Gestion"),
            "core:staff",
            (_("Synonymes de recherche"), reverse("core:search_synonyms")),
            (title, None),
        ),
    }
    return render(request, "core/search/synonym_form.html", context)


@team_required
@require_http_methods(["GET", "POST"])
def synonym_delete(request, pk):
    synonym = get_object_or_404(SearchSynonym, pk=pk)
    if request.method == "POST":
        services.delete_synonym(synonym=synonym)
        messages.success(request, _("Synonymes supprimés."))
        return redirect("core:search_synonyms")
    context = {
        "synonym": synonym,
        "crumbs": crumbs(
            _("Gestion"),
            "core:staff",
            (_("Synonymes de recherche"), reverse("core:search_synonyms")),
            (_("Supprimer"), None),
        ),
    }
    return render(request, "core/search/synonym_delete.html", context)
