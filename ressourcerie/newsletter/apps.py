from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsletterConfig(AppConfig):
    name = "ressourcerie.newsletter"
    label = "newsletter"
    verbose_name = _("Lettre d'information")

    def ready(self):
        from ressourcerie.core import navigation

        from . import personal_data

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
        navigation.register_staff_entry(
            navigation.StaffEntry(
                label=_("Abonnés à la lettre"),
                url_name="newsletter:staff_subscribers",
                description=_("Chiffres par thème et département, export, suppression."),
                order=31,
            )
        )
        personal_data.register()
