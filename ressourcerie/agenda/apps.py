from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgendaConfig(AppConfig):
    name = "ressourcerie.agenda"
    label = "agenda"
    verbose_name = _("Agenda")

    def ready(self):
        from . import registrations

        registrations.register_all()
