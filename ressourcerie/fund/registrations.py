"""Hooks of the support fund into the shared registries (navigation, e-mails, personal data,
newsletter), all registered here from ``FundConfig.ready()``."""

from django.utils.translation import gettext_lazy as _

from ressourcerie.core import navigation

from . import emails  # noqa: F401  (registers the e-mail purposes)


def register_all():
    """Each family adds its registrations here (navigation entries once its pages exist)."""
    navigation.register_staff_entry(
        navigation.StaffEntry(
            label=_("Dossiers du fonds"),
            url_name="fund:staff_applications",
            description=_("Les dossiers déposés aux appels : filtres, instruction, exports."),
            order=41,
        )
    )
    navigation.register_account_entry(
        navigation.AccountEntry(
            label=_("Mes dossiers à instruire"),
            url_name="fund:reviewer_home",
            description=_("Pour les relecteurs du fonds : les dossiers confiés à votre groupe."),
            order=61,
        )
    )
