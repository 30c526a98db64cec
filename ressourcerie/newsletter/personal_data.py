"""What the newsletter holds about a person (found by their account's e-mail address)."""

from django.db.models import Q

from ressourcerie.accounts.personal_data import DELETED, Held, declare

from .models import Subscriber
from .services import delete_subscriber


def _subscribers(user):
    return Subscriber.objects.filter(Q(email__iexact=user.email) | Q(user=user))


def export(user) -> list[dict]:
    return [
        {
            "adresse_e_mail": s.email,
            "statut": s.status,
            "themes": s.topic_codes,
            "departement": s.department.code if s.department else None,
            "inscrit_le": s.created_at,
            "confirme_le": s.confirmed_at,
            "desinscrit_le": s.unsubscribed_at,
            "echecs_de_distribution": s.bounce_count,
            "consentements": [
                {
                    "action": c.action,
                    "version_du_texte": c.wording_version,
                    "themes": [t for t in c.topics.split(",") if t],
                    "source": c.source,
                    "le": c.at,
                }
                for c in s.consents.all()
            ],
        }
        for s in _subscribers(user).select_related("department")
    ]


def erase(user) -> None:
    for subscriber in list(_subscribers(user)):
        delete_subscriber(email=subscriber.email)


def register() -> None:
    declare(
        "lettre_d_information",
        export=export,
        erase=erase,
        fields=[Held("newsletter.Subscriber", ["email"], DELETED, "with consents, deliveries")],
    )
