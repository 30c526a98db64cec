from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DonationsConfig(AppConfig):
    name = "ressourcerie.donations"
    label = "donations"
    verbose_name = _("Dons d'ordinateurs")

    def ready(self):
        from . import registrations

        registrations.register_all()
