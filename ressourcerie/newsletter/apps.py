from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsletterConfig(AppConfig):
    name = "ressourcerie.newsletter"
    label = "newsletter"
    verbose_name = _("Lettre d'information")

    def ready(self):
        from . import registrations

        registrations.register_all()
