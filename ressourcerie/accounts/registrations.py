"""Accounts' entries in the shared registries (navigation, personal data), called once from
``AccountsConfig.ready``."""

from django.utils.translation import gettext_lazy as _

from ressourcerie.core import navigation

from . import personal_data


def register_all() -> None:
    # The sections of accounts and core in the personal data export and erasure.
    personal_data.declare_accounts_and_core()
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
