"""What the directory holds about a person: error reports (signed in, or anonymous with their
address), claims to manage a listing, edits of a listing, messages relayed to places."""

from django.db.models import Q

from ressourcerie.accounts.personal_data import DELETED, KEPT, Held, declare

from . import services
from .models import ContactMessage, PlaceClaim, PlaceEdit, PlaceReport


def _reports(user):
    return PlaceReport.objects.filter(Q(submitted_by=user) | Q(email__iexact=user.email))


def export(user) -> dict:
    return {
        "error_reports": [
            {
                "place": r.place.name,
                "message": r.message,
                "email": r.email,
                "status": r.moderation_status,
                "created_at": r.created_at.isoformat(),
            }
            for r in _reports(user).select_related("place")
        ],
        "claims": [
            {
                "place": c.place.name,
                "method": c.method,
                "status": c.status,
                "message": c.message,
                "code_sent_to": c.code_sent_to,
                "team_reason": c.reason,
                "created_at": c.created_at.isoformat(),
            }
            for c in PlaceClaim.objects.filter(user=user).select_related("place")
        ],
        "edits": [
            {
                "place": e.place.name,
                "changes": e.changes,
                "status": e.moderation_status,
                "created_at": e.created_at.isoformat(),
            }
            for e in PlaceEdit.objects.filter(submitted_by=user).select_related("place")
        ],
        "messages": [
            {
                "place": m.place.name,
                "association": m.organisation.name if m.organisation else "",
                "subject": m.subject,
                "body": m.body,
                "created_at": m.created_at.isoformat(),
            }
            for m in ContactMessage.objects.filter(sender=user).select_related(
                "place", "organisation"
            )
        ],
    }


def erase(user) -> None:
    services.erase_person(user=user)


def register() -> None:
    declare(
        "directory",
        export=export,
        erase=erase,
        fields=[
            Held("directory.PlaceReport", ["message", "email"], DELETED),
            Held("directory.PlaceClaim", ["message", "code_sent_to", "reason"], DELETED),
            # Its history goes with the claim (CASCADE), the team's reason with it.
            Held("directory.PlaceClaimTransition", ["reason"], DELETED),
            Held("directory.ContactMessage", ["subject", "body"], DELETED),
            Held(
                "directory.PlaceEdit",
                ["changes"],
                KEPT,
                "a listing's public details, proposed for the structure (author nulled)",
            ),
        ],
    )
