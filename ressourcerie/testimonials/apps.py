from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TestimonialsConfig(AppConfig):
    name = "ressourcerie.testimonials"
    label = "testimonials"
    verbose_name = _("Témoignages")

    def ready(self):
        from . import registrations

        registrations.register_all()
