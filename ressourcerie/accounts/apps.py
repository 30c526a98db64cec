from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "ressourcerie.accounts"
    label = "accounts"
    verbose_name = _("Mon compte")

    def ready(self):
        from . import registrations

        registrations.register_all()
