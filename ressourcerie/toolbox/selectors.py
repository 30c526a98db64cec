"""Reads of the toolbox, used by its views, the API and other parts (diagnostic…)."""

import re
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ressourcerie.core import search
from ressourcerie.core.models import ModerationStatus
from ressourcerie.core.text import fold

from .models import DataLocation, Guide, Need, Price, Replacement, Tool

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


@dataclass
class ToolSearch:
    tools: list[Tool] = field(default_factory=list)
    total: int = 0
    corrected_query: str = ""
    # When the question names a product to replace: that product.
    replacing: list[Tool] = field(default_factory=list)


def _with_relations(queryset: QuerySet) -> QuerySet:
    return queryset.prefetch_related(
        Prefetch("needs", queryset=Need.objects.select_related("parent")),
        Prefetch(
            "replacements", queryset=Replacement.objects.select_related("replaced")
        ),
    )


def _ordered(ids: list[int]) -> list[Tool]:
    by_id = _with_relations(published_tools()).in_bulk(ids)
    return [by_id[i] for i in ids if i in by_id]


def _search_ids(text: str, filters: dict, *, limit: int) -> tuple[list[int], int, str]:
    results = search.find(text, types=["tool"], filters=filters, per_page=limit)
    return [int(hit.object_id) for hit in results.items], results.total, results.corrected_query


def _replacements_for(targets: list[Tool], filters: ToolFilters) -> list[int]:
    """Tools that replace the given products, free software first, best described first."""
    queryset = filters.apply(
        published_tools().filter(
            replacements__replaced__in=targets, proprietary_reference=False
        )
    )
    queryset = queryset.annotate(n=Count("replacements")).order_by(
        "-is_free_software", "-n", "name"
    )
    return list(dict.fromkeys(queryset.values_list("pk", flat=True)))


def search_tools(text: str, filters: ToolFilters, *, limit: int = 60) -> ToolSearch:
    """Tools answering a question phrased the way people phrase it, best answer first.

    "alternative à Zoom" / "quitter Google": the products named are found among the
    proprietary references and their replacements are the answer. Otherwise the site search
    (accents, plurals, synonyms, typos) ranks tools; a sentence whose words do not all match
    falls back to the words that do."""
    result = ToolSearch()
    folded = fold(text or "")[:300]
    search_filters = filters.as_search_filters()

    intent = _REPLACE_INTENT.search(folded)
    if intent:
        target_text = intent.group("target").strip()
        ids, _total, _corrected = _search_ids(target_text, {"proprietaire": "1"}, limit=5)
        targets = _ordered(ids)
        if targets:
            best = targets[0].name
            # "quitter Google" names a family of products: keep those sharing its first word.
            family = fold(best).split()[0]
            result.replacing = [t for t in targets if fold(t.name).split()[0] == family]
            ids = _replacements_for(result.replacing, filters)
            result.tools = _ordered(ids[:limit])
            result.total = len(ids)
            if result.tools:
                return result

    ids, total, corrected = _search_ids(text, search_filters, limit=limit)
    if not ids:
        # Sentence fallback: each meaningful word alone, scored by how many words it matched.
        scores: dict[int, float] = {}
        for rank_base, word in enumerate(w for w in folded.split() if len(w) > 2):
            word_ids, _t, _c = _search_ids(word, search_filters, limit=20)
            for position, pk in enumerate(word_ids):
                scores[pk] = scores.get(pk, 0) + 1 + (20 - position) / 100 - rank_base / 1000
        ids = sorted(scores, key=lambda pk: -scores[pk])[:limit]
        total = len(ids)
    result.corrected_query = corrected

    # A proprietary product in the answer brings its replacements right after it.
    ordered: list[int] = []
    tools = _ordered(ids)
    for tool in tools:
        if tool.pk in ordered:
            continue
        if tool.proprietary_reference:
            result.replacing.append(tool)
            for pk in _replacements_for([tool], filters)[:5]:
                if pk not in ordered:
                    ordered.append(pk)
        ordered.append(tool.pk)
    result.tools = _ordered(ordered[:limit])
    result.total = max(total, len(result.tools))
    return result


def list_tools(filters: ToolFilters) -> QuerySet:
    """Browsing without a question: free software first, then by name."""
    return _with_relations(filters.apply(published_tools())).order_by(
        "proprietary_reference", "-is_free_software", "name"
    )


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


def needs_tree() -> list[Need]:
    """Top-level needs with their children prefetched, for menus and the guided entry."""
    return list(
        Need.objects.filter(parent__isnull=True).prefetch_related(
            Prefetch("children", queryset=Need.objects.order_by("position", "name"))
        )
    )


def starter_tools(need: Need, *, count: int = 5) -> list[tuple[Tool, str]]:
    """"Par où commencer ?": 3 to 5 tools for a need, each with why it is proposed."""
    tools = list(
        published_tools()
        .filter(Q(needs=need) | Q(needs__parent=need), proprietary_reference=False)
        .distinct()
        .order_by("-is_free_software", "difficulty", "name")[: count * 3]
    )
    difficulty_rank = {"debutant": 0, "intermediaire": 1, "avance": 2}
    tools.sort(
        key=lambda t: (
            not t.is_free_software,
            t.price not in FREE_PRICES,
            difficulty_rank.get(t.difficulty, 3),
            t.data_location not in EU_LOCATIONS,
            t.name,
        )
    )
    return [(tool, starter_reason(tool)) for tool in tools[:count]]


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
    limit = timezone.now().date() - timedelta(days=days)
    return (
        published_tools()
        .filter(Q(verified_on__isnull=True) | Q(verified_on__lt=limit))
        .order_by(F("verified_on").asc(nulls_first=True), "name")
    )
