"""Hooks of the donations part into the shared registries (navigation, personal data), all
registered here from ``DonationsConfig.ready()``."""

from django.utils.translation import gettext_lazy as _

from ressourcerie.core import navigation

from . import personal_data, selectors


def register_all():
    navigation.register_account_entry(
        navigation.AccountEntry(
            label=_("Mes demandes d'ordinateurs"),
            url_name="donations:my_requests",
            description=_("Les demandes de votre association et leur suivi."),
            order=40,
        )
    )
    navigation.register_part(
        navigation.Part(
            key="donations",
            label=_("Dons d'ordinateurs"),
            url_name="donations:home",
            description=_(
                "Donner des ordinateurs, en demander pour votre association, trouver un "
                "point de collecte et voir l'impact des dons."
            ),
            order=60,
            path_prefix="/dons/",
        )
    )
    navigation.register_staff_entry(
        navigation.StaffEntry(
            label=_("Dons d'ordinateurs"),
            url_name="donations:staff",
            description=_("Valider les demandes de matériel des associations."),
            order=40,
        )
    )
    navigation.register_counter("donations:staff", lambda: navigation.pending_in(selectors.requests_to_validate(), "created_at", _("demandes à valider")))  # fmt: skip
    personal_data.register()
