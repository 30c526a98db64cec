"""Reads of the toolbox, used by its views, the API and other parts (diagnostic…)."""

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import F, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ressourcerie.core import search
from ressourcerie.core.models import ModerationStatus
from ressourcerie.core.text import fold

from .models import DataLocation, Difficulty, Guide, Need, Price, Replacement, Tool

EU_LOCATIONS = [DataLocation.FRANCE, DataLocation.EU, DataLocation.LOCAL]
FREE_PRICES = [Price.FREE, Price.FREE_FOR_ASSOCIATIONS]

# "alternative à Zoom", "remplacer WhatsApp", "on veut quitter Google", "comme Doodle"…
_REPLACE_INTENT = re.compile(
    r"\b(?:alternatives?|remplacer|remplacant|remplacement|quitter|sortir|eviter|"
    r"equivalents?|a la place|au lieu|comme|autre chose que|sans|plutot que|libre pour)"
    r"\b(?:\s+(?:a|au|aux|de|du|des|d|la|le|les|que|pour))*\s+(?P<target>.+)$"
)


@dataclass
class ToolFilters:
    need: str = ""
    free_software: bool = False
    free_for_associations: bool = False
    eu_hosted: bool = False
    difficulty: str = ""
    platform: str = ""

    def as_search_filters(self) -> dict:
        filters = {}
        if self.need:
            filters["need"] = self.need
        if self.free_software:
            filters["libre"] = "1"
        if self.free_for_associations:
            filters["gratuit"] = "1"
        if self.eu_hosted:
            filters["ue"] = "1"
        if self.difficulty:
            filters["difficulte"] = self.difficulty
        if self.platform:
            filters["plateforme"] = self.platform
        return filters

    def apply(self, queryset: QuerySet) -> QuerySet:
        if self.need:
            queryset = queryset.filter(
                Q(needs__slug=self.need) | Q(needs__parent__slug=self.need)
            ).distinct()
        if self.free_software:
            queryset = queryset.filter(is_free_software=True)
        if self.free_for_associations:
            queryset = queryset.filter(price__in=FREE_PRICES)
        if self.eu_hosted:
            queryset = queryset.filter(data_location__in=EU_LOCATIONS)
        if self.difficulty:
            queryset = queryset.filter(difficulty=self.difficulty)
        if self.platform:
            queryset = queryset.filter(platforms__contains=f",{self.platform},")
        return queryset

    @property
    def active(self) -> bool:
        return any(self.as_search_filters().values())


def published_tools() -> QuerySet:
    return Tool.objects.filter(moderation_status=ModerationStatus.PUBLISHED)


def published_guides() -> QuerySet:
    return Guide.objects.filter(moderation_status=ModerationStatus.PUBLISHED)


def tool_search_document(tool: Tool) -> search.SearchDocumentData:
    """Name weighs most; replaced products, needs and keywords next; pitch and text last."""
    needs = list(tool.needs.select_related("parent"))
    replaced = [r.replaced.name for r in tool.replacements.select_related("replaced")]
    keywords = [*replaced, *(n.name for n in needs), tool.keywords]
    need_slugs = {n.slug for n in needs} | {n.parent.slug for n in needs if n.parent}
    filters = {
        "need": sorted(need_slugs),
        "difficulte": tool.difficulty,
        "plateforme": tool.platform_list,
        "proprietaire": "1" if tool.proprietary_reference else "0",
    }
    if tool.is_free_software:
        filters["libre"] = "1"
    if tool.price in FREE_PRICES:
        filters["gratuit"] = "1"
    if tool.data_location in EU_LOCATIONS:
        filters["ue"] = "1"
    return search.SearchDocumentData(
        title=tool.name,
        keywords=keywords,
        body=f"{tool.pitch}\n{tool.description}",
        url=tool.get_absolute_url(),
        # Free software first, proprietary references last: they are here to be replaced.
        boost=0.6 if tool.proprietary_reference else (1.15 if tool.is_free_software else 1.0),
        filters=filters,
    )


def guide_search_document(guide: Guide) -> search.SearchDocumentData:
    return search.SearchDocumentData(
        title=guide.title,
        keywords=[t.name for t in guide.tools.all()] + [n.name for n in guide.needs.all()],
        body=f"{guide.summary}\n{guide.body}",
        url=guide.get_absolute_url(),
        filters={"need": sorted(guide.needs.values_list("slug", flat=True))},
    )


class LazyTools(Sequence):
    """Tool ids in answer order; slicing loads only the tools of the slice (one page)."""

    def __init__(self, ids: list[int], *, relations: bool = True):
        self.ids = ids
        self.relations = relations

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return _ordered(self.ids[index], relations=self.relations)
        return _ordered([self.ids[index]], relations=self.relations)[0]


@dataclass
class ToolSearch:
    ids: list[int] = field(default_factory=list)
    total: int = 0
    corrected_query: str = ""
    # When the question names a product to replace: that product.
    replacing: list[Tool] = field(default_factory=list)

    @property
    def tools(self) -> LazyTools:
        return LazyTools(self.ids)

    @property
    def cards(self) -> LazyTools:
        """The same tools without their needs and replacements: what a result card shows."""
        return LazyTools(self.ids, relations=False)


def _with_relations(queryset: QuerySet) -> QuerySet:
    return queryset.prefetch_related(
        Prefetch("needs", queryset=Need.objects.select_related("parent")),
        Prefetch("replacements", queryset=Replacement.objects.select_related("replaced")),
    )


def _ordered(ids: list[int], *, relations: bool = True) -> list[Tool]:
    queryset = _with_relations(published_tools()) if relations else published_tools()
    by_id = queryset.in_bulk(ids)
    return [by_id[i] for i in ids if i in by_id]


def _search_ids(
    text: str, filters: dict, *, limit: int, match_any: bool = False
) -> tuple[list[int], int, str]:
    ids, total, corrected, page = [], 0, "", 1
    while len(ids) < limit:
        results = search.find(
            text,
            types=["tool"],
            filters=filters,
            page=page,
            per_page=50,
            match_any=match_any,
            facets=False,
            snippets=False,
        )
        ids.extend(int(hit.object_id) for hit in results.items)
        total, corrected = results.total, results.corrected_query
        if not results.has_next:
            break
        page += 1
    return ids[:limit], total, corrected


DIFFICULTY_RANK = {"debutant": 0, "intermediaire": 1, "avance": 2}


def _replacements_for(target_ids: list[int], filters: ToolFilters) -> dict[int, list[int]]:
    """For each product to replace, the tools that replace it: free software first, then the
    easiest to take up, then free of charge, then by name (a volunteer replacing Zoom wants
    Jitsi Meet before a server to install)."""
    rows = Replacement.objects.filter(
        replaced_id__in=target_ids,
        tool__in=filters.apply(published_tools().filter(proprietary_reference=False)),
    ).values_list(
        "replaced_id",
        "tool_id",
        "tool__is_free_software",
        "tool__difficulty",
        "tool__price",
        "tool__name",
    )
    ordered = sorted(
        rows,
        key=lambda r: (
            not r[2],
            DIFFICULTY_RANK.get(r[3], 3),
            r[4] not in FREE_PRICES,
            r[5].casefold(),
        ),
    )
    found: dict[int, list[int]] = {pk: [] for pk in target_ids}
    for replaced_id, tool_id, *_rest in ordered:
        if tool_id not in found[replaced_id]:
            found[replaced_id].append(tool_id)
    return found


def search_tools(text: str, filters: ToolFilters, *, limit: int = 50) -> ToolSearch:
    """Tools answering a question phrased the way people phrase it, best answer first.

    "alternative à Zoom" / "quitter Google": the products named are found among the
    proprietary references and their replacements are the answer. Otherwise the site search
    (accents, plurals, synonyms, typos) ranks tools; a sentence whose words do not all match
    falls back to documents matching any of them, best matches first."""
    result = ToolSearch()
    folded = fold(text or "")[:300]
    search_filters = filters.as_search_filters()

    intent = _REPLACE_INTENT.search(folded)
    if intent:
        target_ids, _total, _corrected = _search_ids(
            intent.group("target").strip(), {"proprietaire": "1"}, limit=5
        )
        targets = _ordered(target_ids, relations=False)
        if targets:
            # "quitter Google" names a family of products: keep those sharing its first word.
            family = fold(targets[0].name).split()[0]
            result.replacing = [t for t in targets if fold(t.name).split()[0] == family]
            by_target = _replacements_for([t.pk for t in result.replacing], filters)
            ranked: dict[int, int] = {}
            for ids in by_target.values():
                for position, pk in enumerate(ids):
                    ranked[pk] = ranked.get(pk, 0) + 100 - position
            result.ids = sorted(ranked, key=lambda pk: -ranked[pk])[:limit]
            result.total = len(result.ids)
            if result.ids:
                return result

    ids, total, corrected = _search_ids(text, search_filters, limit=limit)
    if not ids:
        ids, total, corrected = _search_ids(text, search_filters, limit=limit, match_any=True)
    result.corrected_query = corrected

    # A proprietary product in the answer brings its replacements right after it.
    proprietary = set(
        published_tools()
        .filter(pk__in=ids, proprietary_reference=True)
        .values_list("pk", flat=True)
    )
    replacements = _replacements_for(sorted(proprietary), filters) if proprietary else {}
    ordered: list[int] = []
    for pk in ids:
        if pk in proprietary:
            ordered.extend(r for r in replacements.get(pk, [])[:5] if r not in ordered)
        if pk not in ordered:
            ordered.append(pk)
    if proprietary:
        result.replacing = _ordered([pk for pk in ids if pk in proprietary][:3], relations=False)
    result.ids = ordered[:limit]
    result.total = max(total, len(result.ids))
    return result


def list_tools(filters: ToolFilters, *, relations: bool = True) -> QuerySet:
    """Browsing without a question: free software first, then by name. ``relations=False``
    leaves out needs and replacements (result cards do not show them)."""
    queryset = filters.apply(published_tools())
    if relations:
        queryset = _with_relations(queryset)
    return queryset.order_by("proprietary_reference", "-is_free_software", "name")


def get_tool(slug: str) -> Tool | None:
    return (
        _with_relations(published_tools())
        .prefetch_related(
            Prefetch("replaced_in", queryset=Replacement.objects.select_related("tool")),
            Prefetch("guides", queryset=published_guides()),
        )
        .filter(slug=slug)
        .first()
    )


def alternatives_to(tool: Tool) -> list[Replacement]:
    """For a product to replace: the published tools that replace it, with the reason."""
    return sorted(
        (
            r
            for r in tool.replaced_in.all()
            if r.tool.moderation_status == ModerationStatus.PUBLISHED
        ),
        key=lambda r: (not r.tool.is_free_software, r.tool.name),
    )


def top_needs() -> QuerySet:
    """The first level of needs (Communiquer, Gérer…), in their order."""
    return Need.objects.filter(parent__isnull=True)


def needs_tree() -> list[Need]:
    """Top-level needs with their children prefetched, for menus and the guided entry."""
    return list(
        Need.objects.filter(parent__isnull=True).prefetch_related(
            Prefetch("children", queryset=Need.objects.order_by("position", "name"))
        )
    )


COMMAND_LINE = "ligne de commande"


def starter_tools(need: Need, *, count: int = 5, beginner: bool = False) -> list[tuple[Tool, str]]:
    """ "Par où commencer ?": 3 to 5 tools for a need, each with why it is proposed; for a
    beginner, no tool for advanced users nor any command-line tool."""
    return starter_tools_by_need([need], count=count, beginner=beginner)[need.pk]


def _starter_rank(tool: Tool) -> tuple:
    return (
        not tool.is_free_software,
        tool.price not in FREE_PRICES,
        DIFFICULTY_RANK.get(tool.difficulty, 3),
        tool.data_location not in EU_LOCATIONS,
        tool.name,
    )


def starter_tools_by_need(
    needs, *, count: int = 5, beginner: bool = False
) -> dict[int, list[tuple[Tool, str]]]:
    """``starter_tools`` for several needs in one query (the needs checked on "Par où
    commencer ?", every need of a diagnostic's plan): ``{need id: [(tool, why)]}``, each need
    present. A need's tools are its own and its sub-needs'; the ranking is done here on all
    of them (a few dozen at most), so that one need or several give the same answer."""
    needs = list(needs)
    wanted = {need.pk for need in needs}
    queryset = published_tools().filter(
        Q(needs__in=needs) | Q(needs__parent__in=needs), proprietary_reference=False
    )
    if beginner:
        queryset = queryset.exclude(difficulty=Difficulty.ADVANCED).exclude(
            Q(pitch__icontains=COMMAND_LINE) | Q(description__icontains=COMMAND_LINE)
        )
    # One row per tool and need of it that matched (its own need or the need's parent).
    rows = queryset.annotate(
        matched_need=F("needs__id"), matched_parent=F("needs__parent_id")
    ).order_by()
    found: dict[int, dict[int, Tool]] = {pk: {} for pk in wanted}
    for tool in rows:
        for need_id in {tool.matched_need, tool.matched_parent} & wanted:
            found[need_id].setdefault(tool.pk, tool)
    return {
        need_id: [
            (tool, starter_reason(tool))
            for tool in sorted(tools.values(), key=_starter_rank)[:count]
        ]
        for need_id, tools in found.items()
    }


def starter_reason(tool: Tool) -> str:
    reasons = []
    if tool.is_free_software:
        reasons.append(_("logiciel libre"))
    if tool.price in FREE_PRICES:
        reasons.append(_("gratuit pour une association"))
    if tool.difficulty == "debutant":
        reasons.append(_("facile à prendre en main"))
    if tool.data_location in (DataLocation.FRANCE, DataLocation.EU):
        reasons.append(_("données hébergées en Europe"))
    elif tool.data_location == DataLocation.LOCAL:
        reasons.append(_("vos données restent sur votre appareil"))
    if "hebergeur-ethique" in tool.hosting_list:
        reasons.append(_("proposé par des hébergeurs éthiques"))
    if not reasons:
        return _("Une des rares solutions pour ce besoin.")
    text = ", ".join(reasons)
    return _("Proposé parce que : %(reasons)s.") % {"reasons": text}


def tools_to_verify(*, days: int = 365) -> QuerySet:
    """Published tools not verified for more than a year (or never), oldest first."""
    limit = timezone.localdate() - timedelta(days=days)
    return (
        published_tools()
        .filter(Q(verified_on__isnull=True) | Q(verified_on__lt=limit))
        .order_by(F("verified_on").asc(nulls_first=True), "name")
    )


def tools_published_between(start, end, *, limit: int = 10) -> list[Tool]:
    """New entries of the catalogue for a newsletter period (free software first)."""
    queryset = published_tools().filter(proprietary_reference=False)
    if start:
        queryset = queryset.filter(published_at__date__gte=start)
    if end:
        queryset = queryset.filter(published_at__date__lte=end)
    return list(queryset.order_by("-is_free_software", "-published_at", "name")[:limit])


def need_by_slug(slug: str) -> Need | None:
    return Need.objects.filter(slug=slug).first()


def needs_by_slug(slugs) -> dict[str, Need]:
    """The needs of these slugs, in one query (the unknown ones absent)."""
    return {need.slug: need for need in Need.objects.filter(slug__in=list(slugs))}


def guides_by_slug(slugs) -> dict[str, Guide]:
    """The published guides of these slugs, in one query (``guides_about`` for many)."""
    return {guide.slug: guide for guide in published_guides().filter(slug__in=list(slugs))}


def guides_about(topic: str, *, limit: int = 2) -> list[Guide]:
    """The published guide a rule names by its slug, or nothing. No search fallback: a loose
    match sent "plan-numerique" to the accounting guide, and the search engines (SQLite FTS5,
    PostgreSQL) do not agree on what "every word" matches; a rule naming a guide that does not
    exist (or is withdrawn) simply shows none."""
    exact = published_guides().filter(slug=topic).first()
    return [exact][:limit] if exact else []
