"""Hooks of the testimonials into the shared registries (navigation, moderation, search,
personal data) and into the parts that show them (newsletter blocks, diagnostic)."""

from django.utils.translation import gettext_lazy as _

from ressourcerie.core import moderation, navigation, search
from ressourcerie.core.models import ModerationStatus
from ressourcerie.diagnostic import recommendations
from ressourcerie.newsletter import blocks

from . import personal_data, selectors, services
from .models import MARKDOWN_FIELDS, Testimonial


def register_all():
    navigation.register_account_entry(
        navigation.AccountEntry(
            label=_("Mes témoignages"),
            url_name="testimonials:mine",
            description=_("Ceux que vous avez écrits, publiés ou en attente."),
            order=20,
        )
    )
    navigation.register_part(
        navigation.Part(
            key="testimonials",
            label=_("Témoignages"),
            url_name="testimonials:index",
            description=_(
                "Comment d'autres associations ont changé d'outils : le problème, la "
                "démarche, le coût, le temps passé et leurs conseils."
            ),
            order=20,
            path_prefix="/temoignages/",
        )
    )
    moderation.register_moderated(
        Testimonial,
        label=_("Témoignage"),
        detail_url=lambda t: t.get_absolute_url(),
        summary=lambda t: f"{t.title} — {t.organisation.name}",
        public_url=public_url,
        on_withdrawn=services.delete_images_of_withdrawn,
        markdown_fields=MARKDOWN_FIELDS,
    )
    search.register(
        search.SearchableType(
            key="testimonial",
            label=_("Témoignages"),
            model=Testimonial,
            document=selectors.search_document,
            queryset=selectors.published_testimonials,
            order=20,
            auto_index=True,
        )
    )
    personal_data.register()
    blocks.register(
        "nouveaux-temoignages", _("Nouveaux témoignages"), "temoignages", new_testimonials
    )
    recommendations.register_provider("testimonial", comparable, many=comparable_for_topics)


def public_url(testimonial) -> str:
    """Its author can read it at every stage but the last."""
    if testimonial.moderation_status == ModerationStatus.WITHDRAWN:
        return ""
    return testimonial.get_absolute_url()


def new_testimonials(start, end, department):
    """Newsletter block: the testimonials published in the period (in the department)."""
    return [
        blocks.BlockItem(title=t.title, url=t.get_absolute_url(), text=t.author_label)
        for t in selectors.testimonials_published_between(start, end, department=department)
    ]


def comparable(rule, context):
    """Diagnostic provider: stories of comparable associations."""
    return [
        recommendations.Recommendation(title=t.title, url=t.get_absolute_url(), text=t.author_label)
        for t in selectors.comparable_testimonials(
            sector=context.sector or None,
            members_band=context.members_band or None,
            department_code=context.department_code or None,
            limit=2,
        )
    ]


def comparable_for_topics(topics, context):
    """The same stories for every topic of a plan: what is comparable is the association
    (sector, size, department), so they are read once."""
    found = comparable(None, context)
    return dict.fromkeys(topics, found)
