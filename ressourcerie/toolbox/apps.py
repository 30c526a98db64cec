from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ToolboxConfig(AppConfig):
    name = "ressourcerie.toolbox"
    label = "toolbox"
    verbose_name = _("Boîte à outils")

    def ready(self):
        from . import registrations

        registrations.register_all()
