"""What the toolbox holds about a person: the tools and corrections they proposed."""

from ressourcerie.accounts.personal_data import DELETED, Held, declare

from . import services
from .models import Tool, ToolCorrection


def export(user) -> dict:
    return {
        "outils_proposes": list(
            Tool.objects.filter(submitted_by=user).values(
                "slug", "name", "moderation_status", "submitted_at"
            )
        ),
        "corrections_proposees": list(
            ToolCorrection.objects.filter(submitted_by=user).values(
                "tool__slug", "field", "proposed_value", "source", "moderation_status"
            )
        ),
    }


def erase(user) -> None:
    # Proposed tools stay (the catalogue describes software, not people); their author link
    # goes with Moderated.submitted_by's SET_NULL. Corrections are the person's words.
    services.delete_corrections_by(user=user)


def register() -> None:
    declare(
        "boite_a_outils",
        export=export,
        erase=erase,
        fields=[Held("toolbox.ToolCorrection", ["proposed_value", "source"], DELETED)],
    )
