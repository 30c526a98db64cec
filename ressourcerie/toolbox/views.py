from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ressourcerie.core import opendata, ratelimit
from ressourcerie.core.markdown import render_markdown
from ressourcerie.core.permissions import team_required

from . import exports, grid, selectors, services
from .forms import (
    CompareForm,
    StarterForm,
    ToolCorrectionForm,
    ToolProposalForm,
    ToolSearchForm,
)
from .models import Need
from .ratelimits import LIMITS

# 15 cards: 5 full rows of 3 at 1280 px; 20 cost the catalogue its EcoIndex ≥ 85 (#19).
PER_PAGE = 15


def index(request):
    """The catalogue: a question, filters, and the answers best first."""
    form = ToolSearchForm(request.GET or None)
    filters = form.filters()
    query = form.cleaned_data.get("q", "") if form.is_bound and form.is_valid() else ""
    replacing, corrected = [], ""
    if query:
        # Rank only as deep as the requested page needs (plus one page, for "Suivante").
        try:
            wanted = max(1, int(request.GET.get("page", 1)))
        except ValueError:
            wanted = 1
        limit = min(500, max(50, (wanted + 1) * PER_PAGE + 1))
        found = selectors.search_tools(query, filters, limit=limit)
        tools, replacing, corrected = found.cards, found.replacing, found.corrected_query
    else:
        tools = selectors.list_tools(filters, relations=False)
    page = Paginator(tools, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "toolbox/index.html",
        {
            "form": form,
            "query": query,
            "page_obj": page,
            "tools": [(t, grid.summary(t)) for t in page.object_list],
            "replacing": replacing,
            "corrected_query": corrected,
            "filtered": filters.active,
            "needs": selectors.needs_tree() if not query and not filters.active else [],
        },
    )


def tool_detail(request, slug):
    tool = selectors.get_tool(slug)
    if tool is None:
        raise Http404
    return render(
        request,
        "toolbox/tool_detail.html",
        {
            "tool": tool,
            "criteria": grid.criteria(tool),
            "summary": grid.summary(tool),
            "description_html": render_markdown(tool.description),
            "alternatives": selectors.alternatives_to(tool),
            "replaces": list(tool.replacements.all()),
            "needs": list(tool.needs.all()),
            "guides": list(tool.guides.all()),
        },
    )


def need_detail(request, slug):
    need = get_object_or_404(Need.objects.select_related("parent"), slug=slug)
    filters = selectors.ToolFilters(need=need.slug)
    tools = selectors.list_tools(filters, relations=False).filter(proprietary_reference=False)
    page = Paginator(tools, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "toolbox/need_detail.html",
        {
            "need": need,
            "children": list(need.children.all()),
            "page_obj": page,
            "tools": [(t, grid.summary(t)) for t in page.object_list],
            "guides": list(selectors.published_guides().filter(needs=need)[:10]),
        },
    )


def starter(request):
    """ "Par où commencer ?": a need in plain words, then 3 to 5 tools and why."""
    form = StarterForm(request.GET or None)
    answers = []  # (need, suggestions), one per need checked
    if form.is_bound and form.is_valid():
        needs = selectors.needs_by_slug(form.cleaned_data["need"])
        tools = selectors.starter_tools_by_need(needs.values(), beginner=form.beginner)
        answers = [
            (needs[slug], tools[needs[slug].pk])
            for slug in form.cleaned_data["need"]
            if slug in needs
        ]
    return render(request, "toolbox/starter.html", {"form": form, "answers": answers})


def compare(request):
    tools = list(selectors.published_tools().order_by("name"))
    form = CompareForm(request.GET or None, tools=tools)
    compared = []
    if form.is_bound and form.is_valid():
        by_slug = {t.slug: t for t in tools}
        compared = [(by_slug[s], grid.criteria(by_slug[s])) for s in form.cleaned_data["outils"]]
    rows = []
    if compared:
        for index, criterion in enumerate(compared[0][1]):
            rows.append((criterion.label, [(t, c[index]) for t, c in compared]))
    return render(
        request,
        "toolbox/compare.html",
        {"form": form, "compared": [t for t, _c in compared], "rows": rows},
    )


def guide_list(request):
    guides = selectors.published_guides().order_by("title")
    page = Paginator(guides, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "toolbox/guide_list.html", {"page_obj": page})


def guide_detail(request, slug):
    guide = get_object_or_404(
        selectors.published_guides().prefetch_related("tools", "needs", "images"), slug=slug
    )
    return render(
        request,
        "toolbox/guide_detail.html",
        {"guide": guide, "body_html": render_markdown(guide.body, allow_images=True)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def propose(request):
    form = ToolProposalForm(request.POST or None)
    wait = 0
    if request.method == "POST" and form.is_valid():
        if wait := LIMITS.check_contribution(request, "proposal"):
            form.add_error(None, ratelimit.too_many_message(wait))
        else:
            services.propose_tool(form=form, user=request.user)
            messages.success(
                request,
                _(
                    "Merci ! Votre proposition a été transmise à l'équipe : vous recevrez un "
                    "courriel dès qu'elle sera examinée."
                ),
            )
            return redirect("toolbox:index")
    return render(request, "toolbox/propose.html", {"form": form}, status=429 if wait else 200)


@login_required
@require_http_methods(["GET", "POST"])
def correct(request, slug):
    tool = selectors.get_tool(slug)
    if tool is None:
        raise Http404
    form = ToolCorrectionForm(request.POST or None)
    wait = 0
    if request.method == "POST" and form.is_valid():
        if wait := LIMITS.check_contribution(request, "correction"):
            form.add_error(None, ratelimit.too_many_message(wait))
        else:
            services.propose_correction(tool=tool, user=request.user, **form.cleaned_data)
            messages.success(
                request, _("Merci ! L'équipe va vérifier votre correction avant de l'appliquer.")
            )
            return redirect(tool)
    return render(
        request,
        "toolbox/correct.html",
        {"form": form, "tool": tool},
        status=429 if wait else 200,
    )


@team_required
def to_verify(request):
    tools = selectors.tools_to_verify()
    page = Paginator(tools, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "toolbox/to_verify.html", {"page_obj": page})


@team_required
@require_http_methods(["POST"])
def mark_verified(request, slug):
    tool = get_object_or_404(selectors.published_tools(), slug=slug)
    services.mark_tool_verified(tool=tool, user=request.user)
    messages.success(
        request, _("« %(name)s » est marqué comme vérifié aujourd'hui.") % {"name": tool.name}
    )
    return redirect("toolbox:to_verify")


def export(request, fmt):
    if fmt not in opendata.FORMATS:
        raise Http404
    return exports.catalogue_response(fmt)
