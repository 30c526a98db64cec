from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundConfig(AppConfig):
    name = "ressourcerie.fund"
    label = "fund"
    verbose_name = _("Fonds d'accompagnement")

    def ready(self):
        from . import registrations

        registrations.register_all()
