"""Hooks into the shared registries (navigation, moderation, search, personal data)."""

from django.utils.translation import gettext_lazy as _


def register_all():
    from ressourcerie.core import moderation, navigation

    from .models import PlaceReport

    navigation.register_part(
        navigation.Part(
            key="directory",
            label=_("Annuaire et carte des acteurs"),
            url_name="directory:near",
            description=_(
                "Les lieux et acteurs qui accompagnent les associations dans le numérique, "
                "près de chez vous."
            ),
            order=30,
            path_prefix="/acteurs/",
        )
    )
    navigation.register_staff_entry(
        navigation.StaffEntry(
            label=_("Importer des lieux"),
            url_name="directory:import",
            description=_("Un fichier au standard des lieux de médiation numérique."),
            order=40,
        )
    )
    moderation.register_moderated(
        PlaceReport,
        label=_("Erreur signalée sur un lieu"),
        detail_url=lambda r: r.place.get_absolute_url(),
        summary=lambda r: f"{r.place.name} : {r.message[:200]}",
    )
