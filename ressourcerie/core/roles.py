"""The roles a person holds (``accounts.Membership.role``).

Defined here so that ``core.permissions`` (the one team gate) reads memberships without
importing ``accounts``: ``core`` imports no other app. ``accounts.models`` imports them.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    MEMBER = "member", _("Membre d'une association")
    EDITOR = "editor", _("Éditeur d'une structure d'accompagnement")
    REFURBISHER = "refurbisher", _("Reconditionneur")
    REVIEWER = "reviewer", _("Relecteur du fonds")
    MODERATOR = "moderator", _("Modérateur")
    ADMINISTRATOR = "administrator", _("Administrateur")


# Roles held within an organisation; the others are platform-wide (organisation empty).
ORGANISATION_ROLES = {Role.MEMBER, Role.EDITOR, Role.REFURBISHER}
# The platform team's roles (with staff and superuser accounts): core.permissions.can_moderate.
TEAM_ROLES = {Role.MODERATOR, Role.ADMINISTRATOR}
