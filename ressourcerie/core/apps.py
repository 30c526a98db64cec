from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "ressourcerie.core"
    label = "core"
    verbose_name = _("Socle")

    def ready(self):
        from . import navigation

        navigation.register_staff_entry(
            navigation.StaffEntry(
                label=_("Courriels envoyés"),
                url_name="core:outbox",
                description=_("En développement : les courriels écrits dans var/outbox/."),
                order=90,
            )
        )
        navigation.register_staff_entry(
            navigation.StaffEntry(
                label=_("Administration technique"),
                url_name="admin:index",
                description=_("L'interface d'administration de Django, pour les cas rares."),
                order=99,
            )
        )
        navigation.register_staff_entry(
            navigation.StaffEntry(
                label=_("Synonymes de recherche"),
                url_name="core:search_synonyms",
                description=_("Les équivalences que la recherche du site comprend."),
                order=60,
            )
        )

        from django.db.models.signals import post_migrate

        from .search.registrations import register_core_types

        register_core_types()
        post_migrate.connect(_ensure_search_schema, sender=self)


def _ensure_search_schema(using="default", **kwargs):
    from django.db import connections

    from .search import backends

    backends.ensure_schema(connections[using])
