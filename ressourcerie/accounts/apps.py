from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "ressourcerie.accounts"
    label = "accounts"
    verbose_name = _("Mon compte")

    def ready(self):
        # Registers the accounts and core sections of the personal data export.
        from ressourcerie.core import navigation

        from . import personal_data  # noqa: F401

        navigation.register_account_entry(
            navigation.AccountEntry(
                label=_("Mes contributions"),
                url_name="accounts:contributions",
                description=_(
                    "Outils, corrections, témoignages, signalements proposés : où ils en sont."
                ),
                order=10,
            )
        )
