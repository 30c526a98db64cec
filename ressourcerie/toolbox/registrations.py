"""Hooks of the toolbox into the shared registries (navigation, search, moderation, personal
data) and into the parts that show its tools (diagnostic recommendations, newsletter blocks)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ressourcerie.core import moderation, navigation, search
from ressourcerie.diagnostic import recommendations
from ressourcerie.newsletter import blocks

from . import personal_data, selectors
from .models import Guide, Tool, ToolCorrection


def register_all():
    navigation.register_part(
        navigation.Part(
            key="toolbox",
            label=_("Boîte à outils"),
            url_name="toolbox:index",
            description=_(
                "Quel outil pour quel besoin ? Des logiciels libres d'abord, comparés "
                "honnêtement, et des guides pas à pas."
            ),
            order=10,
        )
    )
    navigation.register_staff_entry(
        navigation.StaffEntry(
            label=_("Outils à vérifier"),
            url_name="toolbox:to_verify",
            description=_("Fiches d'outils non vérifiées depuis plus de 12 mois."),
            order=30,
        )
    )
    navigation.register_counter("toolbox:to_verify", lambda: navigation.pending_in(selectors.tools_to_verify(), "verified_on", _("outils à revoir")))  # fmt: skip
    search.register(
        search.SearchableType(
            key="tool",
            label=_("Outils"),
            model=Tool,
            document=selectors.tool_search_document,
            queryset=selectors.published_tools,
            order=10,
            auto_index=True,
        )
    )
    search.register(
        search.SearchableType(
            key="guide",
            label=_("Guides"),
            model=Guide,
            document=selectors.guide_search_document,
            queryset=selectors.published_guides,
            order=11,
            auto_index=True,
        )
    )
    moderation.register_moderated(
        Tool,
        label=_("Outil proposé"),
        detail_url=lambda tool: reverse("admin:toolbox_tool_change", args=[tool.pk]),
        summary=lambda tool: f"{tool.name} — {tool.pitch}",
        markdown_fields=("description",),
    )
    moderation.register_moderated(
        ToolCorrection,
        label=_("Correction d'un outil"),
        detail_url=lambda c: c.tool.get_absolute_url(),
        summary=lambda c: f"{c.tool.name} · {c.field} : {c.proposed_value[:200]}",
        public_url=lambda c: c.tool.get_absolute_url() if c.tool.is_published else "",
    )
    personal_data.register()
    blocks.register("nouveaux-outils", _("Nouveaux outils"), "outils", new_tools)
    recommendations.register_provider("need", tools_for_need, many=tools_for_needs)
    recommendations.register_provider("guide", guides_for_topic, many=guides_for_topics)


def new_tools(start, end, department):
    """Newsletter block: the tools published in the period."""
    return [
        blocks.BlockItem(title=tool.name, url=tool.get_absolute_url(), text=tool.pitch)
        for tool in selectors.tools_published_between(start, end)
    ]


def tools_for_need(rule, context):
    """Diagnostic provider: where to start for a need, and why."""
    return tools_for_needs([rule.need_slug], context).get(rule.need_slug, [])


def tools_for_needs(slugs, context):
    """The same for every need of a plan: two queries (the needs, then their tools), whatever
    the number of needs. Each tool says its level, so the diagnostic keeps the ones at the
    association's level without asking again."""
    needs = selectors.needs_by_slug(slugs)
    tools = selectors.starter_tools_by_need(needs.values(), count=3)
    return {
        slug: [
            recommendations.Recommendation(
                title=tool.name,
                url=tool.get_absolute_url(),
                text=f"{tool.pitch} {why}",
                level=tool.difficulty,
            )
            for tool, why in tools[need.pk]
        ]
        for slug, need in needs.items()
    }


def guides_for_topic(rule, context):
    """Diagnostic provider: the guide a rule names."""
    return guides_for_topics([rule.guide_slug], context).get(rule.guide_slug, [])


def guides_for_topics(slugs, context):
    """The same for every guide of a plan, in one query."""
    return {
        slug: [
            recommendations.Recommendation(
                title=guide.title, url=guide.get_absolute_url(), text=guide.summary
            )
        ]
        for slug, guide in selectors.guides_by_slug(slugs).items()
    }
