from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "ressourcerie.accounts"
    label = "accounts"
    verbose_name = _("Mon compte")

    def ready(self):
        # Registers the accounts and core sections of the personal data export.
        from . import personal_data  # noqa: F401
