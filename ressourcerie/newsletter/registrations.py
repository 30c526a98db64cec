"""Hooks into the shared registries (navigation, staff pages, personal data)."""

from django.utils.translation import gettext_lazy as _

from ressourcerie.core import navigation

from . import personal_data
from .models import Edition, EditionStatus


def register_all():
    navigation.register_part(
        navigation.Part(
            key="newsletter",
            label=_("Lettre d'information"),
            url_name="newsletter:subscribe",
            description=_(
                "Les nouveautés de la plateforme par e-mail, selon vos thèmes et votre "
                "département ; sans suivi, désinscription en un clic."
            ),
            order=80,
            path_prefix="/lettre/",
        )
    )
    navigation.register_staff_entry(
        navigation.StaffEntry(
            label=_("Lettre d'information"),
            url_name="newsletter:staff_editions",
            description=_("Écrire, prévisualiser, programmer et envoyer les éditions."),
            order=30,
        )
    )
    navigation.register_counter("newsletter:staff_editions", lambda: navigation.Pending(Edition.objects.filter(status=EditionStatus.SCHEDULED).count(), None, _("éditions programmées")))  # fmt: skip
    navigation.register_staff_entry(
        navigation.StaffEntry(
            label=_("Abonnés à la lettre"),
            url_name="newsletter:staff_subscribers",
            description=_("Chiffres par thème et département, export, suppression."),
            order=31,
        )
    )
    personal_data.register()
