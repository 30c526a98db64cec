import datetime

from django.utils import timezone

from ressourcerie.accounts.models import Role
from ressourcerie.core.models import OrganisationKind
from ressourcerie.donations import services
from ressourcerie.donations.models import DeviceRequest
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory


def make_refurbisher(name="Atelier du Réemploi", **extra):
    """A support structure with a user holding the refurbisher role in it (in Nantes unless
    ``commune=`` says otherwise)."""
    organisation = OrganisationFactory(
        name=name, kind=OrganisationKind.SUPPORT_STRUCTURE, verified_at=timezone.now(), **extra
    )
    user = UserFactory()
    MembershipFactory(user=user, organisation=organisation, role=Role.REFURBISHER)
    return organisation, user


def make_association_member(name="Les Amis du Jardin"):
    organisation = OrganisationFactory(name=name, verified_at=timezone.now())
    user = UserFactory()
    MembershipFactory(user=user, organisation=organisation, role=Role.MEMBER)
    return organisation, user


def make_offer(
    commune,
    *,
    quantity=5,
    device_type="portable",
    confirmed=True,
    email=None,
    kind="company",
    name="Société Exemple",
    lots=1,
):
    offer, secret = services.create_offer(
        donor={
            "kind": kind,
            "name": name,
            "siret": "73282932000074" if kind != "individual" else "",
            "email": email or f"don{timezone.now().timestamp()}@entreprise.example",
            "phone": "0240000000",
            "commune": commune,
        },
        offer={
            "logistics": "enlevement",
            "address": "12 rue Secrète",
            "erasure": "reconditionneur",
            "erasure_method": "",
            "available_from": timezone.localdate() + datetime.timedelta(days=1),
            "available_until": None,
            "commune": commune,
            "notes": "",
        },
        lots=[
            {
                "device_type": device_type,
                "quantity": quantity,
                "year": 2018,
                "condition": "fonctionne",
                "specs": "i5, 8 Go",
            }
            for _n in range(lots)
        ],
    )
    if confirmed:
        services.confirm_offer(offer=offer)
    return offer, secret


def make_request(organisation, user, *, quantity=4, validated=True, share_name=True):
    request_obj = DeviceRequest.objects.create(
        organisation=organisation,
        created_by=user,
        device_type="portable",
        quantity=quantity,
        intended_use="Atelier d'accès aux droits",
        beneficiaries="30 personnes par an",
        priority=2,
        priority_reason="Nos postes ont 12 ans",
        contact_email="contact-prive@asso.example",
        contact_phone="0611111111",
        share_name=share_name,
        status="validee" if validated else "deposee",
    )
    return request_obj
