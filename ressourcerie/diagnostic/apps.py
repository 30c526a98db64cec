from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiagnosticConfig(AppConfig):
    name = "ressourcerie.diagnostic"
    label = "diagnostic"
    verbose_name = _("Autodiagnostic numérique")

    def ready(self):
        from . import registrations

        registrations.register_all()
