from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "ressourcerie.core"
    label = "core"
    verbose_name = _("Socle")

    def ready(self):
        from . import registrations

        registrations.register_all(self)
