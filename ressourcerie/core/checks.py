"""Deployment checks of the instance's own details (``manage.py check --deploy``)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register

INSTANCE_SETTINGS = (
    "LEGAL_PUBLISHER",
    "LEGAL_ADDRESS",
    "LEGAL_DIRECTOR",
    "LEGAL_HOST",
    "CONTACT_EMAIL",
)


@register(Tags.security, deploy=True)
def instance_details(app_configs=None, **kwargs):
    """The legal notice and the contact page need the instance's details in production."""
    if not getattr(settings, "PRODUCTION", False):
        return []
    return [
        Warning(
            f"{name} est vide : les mentions légales et la page de contact ne peuvent pas "
            "donner les coordonnées de l'instance.",
            hint=f"Renseignez la variable d'environnement {name} (docs/environment.md).",
            id=f"ressourcerie.W{index:03d}",
        )
        for index, name in enumerate(INSTANCE_SETTINGS, start=1)
        if not getattr(settings, name, "")
    ]
