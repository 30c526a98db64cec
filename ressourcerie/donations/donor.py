"""Reads for the donor (the private follow page and the e-mails they get): who took each lot,
how to reach them, what happens next, and a summary of the offer. Only public details of the
refurbisher are shown: its public name, town, public address, website and workshop's phone."""

from dataclasses import dataclass, field

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import selectors
from .models import Logistics, LotStatus, Offer


@dataclass
class Contact:
    name: str
    town: str = ""
    email: str = ""
    website: str = ""
    phone: str = ""
    address: str = ""


@dataclass
class LotRow:
    lot: object
    steps: list
    receivers: list
    next_step: str
    contact: Contact | None = None
    plan: str = ""
    extra: dict = field(default_factory=dict)


def _date(value) -> str:
    return date_format(value, "j F Y") if value else ""


def refurbisher_contact(organisation) -> Contact:
    """How the donor reaches the structure that accepted its lot (public details only)."""
    workshops = selectors._workshops(organisation)
    place = workshops[0] if workshops else None
    town = ""
    if place is not None and place.commune_id:
        town = place.commune.name
    elif organisation.commune_id:
        town = organisation.commune.name
    return Contact(
        name=organisation.name,
        town=town,
        email=organisation.public_email or (place.emails[0] if place and place.emails else ""),
        website=organisation.website or "",
        phone=place.phone if place is not None else "",
        address=f"{place.address}, {town}" if place is not None and place.address else "",
    )


def availability(offer: Offer) -> str:
    """ "à partir du 3 mars 2027 (jusqu'au 20 mars 2027)"."""
    text = _("à partir du %(date)s") % {"date": _date(offer.available_from)}
    if offer.available_until:
        text += " " + _("(jusqu'au %(date)s)") % {"date": _date(offer.available_until)}
    return text


def plan(offer: Offer, contact: Contact | None) -> str:
    """The planned collection or drop-off, in one sentence."""
    when = availability(offer)
    if offer.logistics == Logistics.PICKUP:
        if contact is not None:
            return _("Enlèvement par %(name)s à votre adresse, appareils disponibles %(when)s.") % {
                "name": contact.name,
                "when": when,
            }
        return _("Enlèvement à votre adresse, appareils disponibles %(when)s.") % {"when": when}
    if contact is not None and contact.address:
        return _("Dépôt à l'atelier de %(name)s (%(address)s), %(when)s.") % {
            "name": contact.name,
            "address": contact.address,
            "when": when,
        }
    if contact is not None:
        return _("Dépôt chez %(name)s, %(when)s : convenez ensemble du lieu et de l'heure.") % {
            "name": contact.name,
            "when": when,
        }
    return _("Dépôt à un point de collecte, %(when)s.") % {"when": when}


NEXT_STEPS = {
    LotStatus.ACCEPTED: gettext_lazy(
        "%(name)s va vous contacter pour fixer la date de collecte. Vous pouvez aussi le "
        "contacter directement."
    ),
    LotStatus.COLLECTED: gettext_lazy(
        "%(name)s efface les données de vos appareils et vous en donne la preuve."
    ),
    LotStatus.ERASED: gettext_lazy("%(name)s teste et reconditionne vos appareils."),
    LotStatus.REFURBISHED: gettext_lazy(
        "%(name)s cherche une association qui a demandé ces appareils."
    ),
    LotStatus.ALLOCATED: gettext_lazy(
        "L'association doit confirmer qu'elle a bien reçu les appareils."
    ),
}


def next_step(lot, offer: Offer, contact: Contact | None) -> str:
    """What happens next for this lot, in plain words."""
    if lot.status == LotStatus.PROPOSED:
        if offer.confirmed_at is None:
            return _("Confirmez votre offre avec le lien reçu par e-mail (bouton ci-dessus).")
        return _(
            "Les ateliers de reconditionnement proches ont été prévenus. Dès que l'un d'eux "
            "accepte ce lot, vous recevez un e-mail avec son nom et la façon de le joindre. "
            "D'ici là, vous pouvez modifier ou retirer votre offre."
        )
    if lot.status in NEXT_STEPS:
        return str(NEXT_STEPS[lot.status]) % {"name": contact.name if contact else _("L'atelier")}
    if lot.status == LotStatus.WITHDRAWN:
        return _("Vous avez retiré ce lot : rien d'autre ne se passera.")
    return _("Le parcours de ce lot est terminé. Merci pour votre don !")


def journey(offer: Offer) -> list[LotRow]:
    """Each lot of the offer, its steps, who handles it and what comes next."""
    rows = []
    contacts = {}
    for item in selectors.donor_journey(offer):
        lot = item["lot"]
        contact = None
        if lot.refurbisher_id:
            if lot.refurbisher_id not in contacts:
                contacts[lot.refurbisher_id] = refurbisher_contact(lot.refurbisher)
            contact = contacts[lot.refurbisher_id]
        rows.append(
            LotRow(
                lot=lot,
                steps=item["steps"],
                receivers=item["receivers"],
                next_step=next_step(lot, offer, contact),
                contact=contact,
                plan=plan(offer, contact) if lot.status == LotStatus.ACCEPTED else "",
            )
        )
    return rows


def can_change(offer: Offer) -> bool:
    """The donor may change or withdraw the offer while no lot has been accepted."""
    statuses = {lot.status for lot in offer.lots.all()}
    return LotStatus.PROPOSED in statuses and statuses <= {LotStatus.PROPOSED, LotStatus.WITHDRAWN}


def summary(offer: Offer) -> list[tuple[str, str]]:
    """The offer in a few lines (label, value), for the e-mails and the change page."""
    lots = [str(lot) for lot in offer.lots.all() if lot.status != LotStatus.WITHDRAWN]
    rows = [
        (_("Appareils"), "; ".join(lots) or _("aucun (offre retirée)")),
        (_("Commune"), str(offer.commune.name)),
        (_("Logistique"), str(offer.get_logistics_display())),
    ]
    if offer.logistics == Logistics.PICKUP and offer.address:
        rows.append((_("Adresse d'enlèvement"), offer.address))
    rows.append((_("Disponibles"), availability(offer)))
    rows.append((_("Effacement des données"), str(offer.get_erasure_display())))
    if offer.notes:
        rows.append((_("Précisions"), offer.notes))
    return rows
