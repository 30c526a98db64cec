"""What the donations part holds about a person: the donors linked to their account or
address (with their offers), and the device requests they made or that name them as contact."""

from django.db.models import Q

from ressourcerie.accounts.personal_data import ANONYMISED, BLANKED, KEPT, Held, declare

from . import services
from .models import DeviceRequest, Donor


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
                    "logistique": o.logistics,
                    "adresse": o.address,
                    "commune": o.commune.name,
                    "disponible_du": o.available_from,
                    "disponible_au": o.available_until,
                    "precisions": o.notes,
                    "lots": [str(lot) for lot in o.lots.all()],
                }
                for o in d.offers.select_related("commune")
            ],
        }
        for d in _donors(user).distinct().select_related("commune")
    ]


def export_requests(user) -> list[dict]:
    requests = DeviceRequest.objects.filter(
        Q(created_by=user) | Q(contact_email__iexact=user.email)
    ).select_related("organisation")
    return [
        {
            "association": r.organisation.name,
            "deposee_le": r.created_at,
            "type_d_appareil": r.device_type,
            "quantite": r.quantity,
            "usage_prevu": r.intended_use,
            "beneficiaires": r.beneficiaries,
            "pourquoi_prioritaire": r.priority_reason,
            "adresse_e_mail_de_contact": r.contact_email,
            "telephone_de_contact": r.contact_phone,
            "statut": r.status,
        }
        for r in requests.order_by("created_at")
    ]


def erase(user) -> None:
    services.erase_person(user=user)


def register() -> None:
    declare(
        "dons_d_ordinateurs",
        export=export,
        erase=erase,
        fields=[
            Held("donations.Donor", ["email", "phone"], BLANKED),
            Held("donations.Donor", ["name"], ANONYMISED, "a private donor's name"),
            Held("donations.Offer", ["address", "notes"], BLANKED, "the lots stay, anonymous"),
        ],
    )
    declare(
        "demandes_d_ordinateurs",
        export=export_requests,
        fields=[
            Held("donations.DeviceRequest", ["contact_email", "contact_phone"], BLANKED),
            Held(
                "donations.DeviceRequest",
                ["intended_use", "priority_reason"],
                KEPT,
                "the association's request, which its other members follow",
            ),
        ],
    )
