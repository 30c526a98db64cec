"""What the donations part holds about a person: the donors linked to their account."""

from .models import Donor


def _donors(user):
    return Donor.objects.filter(user=user) | Donor.objects.filter(email__iexact=user.email)


def export(user) -> list[dict]:
    return [
        {
            "type": d.kind,
            "nom": d.name,
            "siret": d.siret,
            "adresse_e_mail": d.email,
            "telephone": d.phone,
            "commune": d.commune.name if d.commune else None,
            "offres": [
                {
                    "creee_le": o.created_at,
                    "confirmee_le": o.confirmed_at,
                    "adresse": o.address,
                    "lots": [str(lot) for lot in o.lots.all()],
                }
                for o in d.offers.all()
            ],
        }
        for d in _donors(user).distinct().select_related("commune")
    ]


def erase(user) -> None:
    """Contacts go; the lots stay (anonymous figures for the impact)."""
    from .services import _anonymise_donor

    for donor in _donors(user).distinct():
        _anonymise_donor(donor)
