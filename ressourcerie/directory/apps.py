from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "ressourcerie.directory"
    label = "directory"
    verbose_name = _("Annuaire et carte des acteurs")

    def ready(self):
        from . import registrations

        registrations.register_all()
