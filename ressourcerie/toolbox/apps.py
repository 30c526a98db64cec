from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ToolboxConfig(AppConfig):
    name = "ressourcerie.toolbox"
    label = "toolbox"
    verbose_name = _("Boîte à outils")

    def ready(self):
        from ressourcerie.core import navigation

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
