from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TestimonialsConfig(AppConfig):
    name = "ressourcerie.testimonials"
    label = "testimonials"
    verbose_name = _("Témoignages")

    def ready(self):
        from ressourcerie.core import navigation

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
        self._register_moderation()
        self._register_search()
        self._register_personal_data()
        self._register_newsletter_and_diagnostic()

    def _register_newsletter_and_diagnostic(self):
        from ressourcerie.diagnostic import recommendations
        from ressourcerie.newsletter import blocks

        from . import selectors

        def new_testimonials(start, end, department):
            queryset = selectors.published_testimonials()
            if start:
                queryset = queryset.filter(published_at__date__gte=start)
            if end:
                queryset = queryset.filter(published_at__date__lte=end)
            if department is not None:
                queryset = queryset.filter(department=department)
            return [
                blocks.BlockItem(title=t.title, url=t.get_absolute_url(), text=t.author_label)
                for t in queryset[:6]
            ]

        def comparable(rule, context):
            return [
                recommendations.Recommendation(
                    title=t.title, url=t.get_absolute_url(), text=t.author_label
                )
                for t in selectors.comparable_testimonials(
                    sector=context.sector or None,
                    members_band=context.members_band or None,
                    department_code=context.department_code or None,
                    limit=2,
                )
            ]

        blocks.register(
            "nouveaux-temoignages", _("Nouveaux témoignages"), "temoignages", new_testimonials
        )
        recommendations.register_provider("testimonial", comparable)

    def _register_moderation(self):
        from ressourcerie.core.moderation import register_moderated

        from . import services
        from .models import Testimonial

        register_moderated(
            Testimonial,
            label=_("Témoignage"),
            detail_url=lambda t: t.get_absolute_url(),
            summary=lambda t: f"{t.title} — {t.organisation.name}",
            # Its author can read it at every stage but the last.
            public_url=lambda t: "" if t.moderation_status == "withdrawn" else t.get_absolute_url(),
            on_withdrawn=services.delete_images_of_withdrawn,
        )

    def _register_search(self):
        from ressourcerie.core import search

        from . import selectors
        from .models import Testimonial

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

    def _register_personal_data(self):
        from . import personal_data

        personal_data.register()
