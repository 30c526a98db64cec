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
