"""Hooks of the support fund into the shared registries (navigation, e-mails, personal data,
newsletter), all registered here from ``FundConfig.ready()``."""

from django.utils.translation import gettext_lazy as _

from ressourcerie.core import navigation

from . import (
    emails,  # noqa: F401  (registers the e-mail purposes)
    personal_data,
)


def register_all():
    """Each family adds its registrations here (navigation entries once its pages exist)."""
    # applying: the association's dossiers, and what the part holds about a person.
    navigation.register_account_entry(
        navigation.AccountEntry(
            label=_("Mes dossiers au fonds"),
            url_name="fund:my_applications",
            description=_("Les dossiers de votre association au fonds d'accompagnement."),
            order=50,
        )
    )
    personal_data.register()
