"""Hooks of the support fund into the shared registries (navigation, e-mails, personal data,
newsletter), all registered here from ``FundConfig.ready()``."""

from . import emails  # noqa: F401  (registers the e-mail purposes)


def register_all():
    """Each family adds its registrations here (navigation entries once its pages exist)."""
