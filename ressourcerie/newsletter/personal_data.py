"""What the newsletter holds about a person (found by their account's e-mail address)."""

from .models import Subscriber


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
                    "le": c.created_at,
                }
                for c in s.consents.all()
            ],
        }
        for s in Subscriber.objects.filter(email__iexact=user.email).select_related("department")
    ]


def erase(user) -> None:
    Subscriber.objects.filter(email__iexact=user.email).delete()
