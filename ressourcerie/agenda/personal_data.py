"""What the agenda holds about a person: their registrations (name, address, association,
attendance) and the key of their private calendar feed."""

from django.db.models import Q

from ressourcerie.accounts.personal_data import ANONYMISED, DELETED, KEPT, Held, declare

from . import housekeeping
from .models import Registration


def export(user) -> list[dict]:
    rows = Registration.objects.filter(Q(user=user) | Q(email__iexact=user.email)).select_related(
        "event", "organisation"
    )
    return [
        {
            "evenement": r.event.title,
            "debut": r.event.starts_at,
            "nom": r.name,
            "adresse_e_mail": r.email,
            "association": r.organisation.name if r.organisation_id else None,
            "statut": r.status,
            "presence": r.attendance,
            "inscrit_le": r.created_at,
        }
        for r in rows.order_by("created_at")
    ]


def erase(user) -> None:
    housekeeping.forget_person(user=user)


def register() -> None:
    declare(
        "agenda",
        export=export,
        erase=erase,
        fields=[
            Held(
                "agenda.Registration",
                ["name", "email"],
                ANONYMISED,
                "the seat and the attendance stay counted, without the person; also purged "
                "AGENDA_PARTICIPANT_RETENTION_DAYS after the event",
            ),
            Held("agenda.CalendarKey", ["token_hash"], DELETED),
            Held(
                "agenda.Event",
                ["description", "accessibility", "address"],
                KEPT,
                "the organising structure's public event details (where it meets, how to "
                "reach it), not about the person who typed them",
            ),
        ],
    )
