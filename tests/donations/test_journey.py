"""The issue's "Done when", through the pages as each party would use them."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from ressourcerie.donations.models import DeviceRequest, Lot, LotStatus, Offer, RequestStatus
from tests.factories import CommuneFactory, StaffFactory

from .factories import make_association_member, make_refurbisher

pytestmark = pytest.mark.django_db


def _messages_to(address):
    return [m for m in mail.outbox if address in m.to]


def test_donor_to_association_journey(client, django_capture_on_commit_callbacks):
    commune = CommuneFactory()
    refurbisher_org, refurbisher = make_refurbisher()
    refurbisher_org.commune = commune
    refurbisher_org.save()
    association, member = make_association_member()
    staff = StaffFactory()
    start = (timezone.localdate() + datetime.timedelta(days=2)).strftime("%d/%m/%Y")

    # 1. A donor offers 5 laptops, without an account.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/dons/donner/",
            {
                "kind": "company",
                "name": "Société Exemple",
                "siret": "732 829 320 00074",
                "email": "it@entreprise.example",
                "phone": "0240000000",
                "commune": "Nantes",
                "logistics": "enlevement",
                "address": "12 rue Secrète",
                "erasure": "reconditionneur",
                "available_from": start,
                "lots-TOTAL_FORMS": "3",
                "lots-INITIAL_FORMS": "0",
                "lots-0-device_type": "portable",
                "lots-0-quantity": "5",
                "lots-0-year": "2018",
                "lots-0-condition": "fonctionne",
                "lots-1-condition": "fonctionne",
                "lots-2-condition": "fonctionne",
            },
        )
    assert response.status_code == 302, response.content.decode()
    sent = client.get(response["Location"])
    assert "238 bis" in sent.content.decode()
    (confirmation,) = _messages_to("it@entreprise.example")
    confirm_path = re.search(r"/dons/confirmer/[^\s/]+/", confirmation.body).group(0)
    follow_path = re.search(r"/dons/suivi/[^\s/]+/", confirmation.body).group(0)
    offer = Offer.objects.get()
    assert offer.token_hash not in confirmation.body  # only the hash is stored

    # GET shows a button, POST confirms; the nearby refurbisher is told (no contacts).
    assert client.get(confirm_path).status_code == 200
    assert Offer.objects.get().confirmed_at is None
    with django_capture_on_commit_callbacks(execute=True):
        client.post(confirm_path)
    assert Offer.objects.get().confirmed_at is not None
    (notice,) = _messages_to(refurbisher.email)
    assert "it@entreprise.example" not in notice.body

    # 2. The refurbisher accepts, collects, records erasure, refurbishes 4 and recycles 1.
    client.force_login(refurbisher)
    page = client.get("/dons/atelier/").content.decode()
    assert f"/dons/atelier/offres/{offer.pk}/" in page
    lot = Lot.objects.get()
    client.post(f"/dons/atelier/lots/{lot.pk}/accepter/", {"refurbisher": refurbisher_org.pk})
    client.post(f"/dons/atelier/lots/{lot.pk}/collecter/")
    client.post(
        f"/dons/atelier/lots/{lot.pk}/effacer/",
        {"erasure_method": "nwipe (DoD 5220.22-M)", "erasure_certificate": "CERT-2025-001"},
    )
    client.post(f"/dons/atelier/lots/{lot.pk}/issue/", {"reused": "4", "recycled": "1"})
    lot.refresh_from_db()
    assert (lot.status, lot.reused_count, lot.recycled_count) == (LotStatus.REFURBISHED, 4, 1)
    lot_page = client.get(f"/dons/atelier/lots/{lot.pk}/").content.decode()
    assert "it@entreprise.example" in lot_page  # the handling refurbisher sees contacts

    # 3. The association asks; staff validates; the dashboard suggests; a person confirms.
    client.force_login(member)
    response = client.post(
        "/dons/demande/",
        {
            "organisation": association.pk,
            "device_type": "portable",
            "quantity": "4",
            "intended_use": "Atelier d'accès aux droits",
            "beneficiaries": "30 personnes par an",
            "priority": "2",
            "priority_reason": "Nos postes ont 12 ans",
            "contact_email": "contact@asso.example",
            "share_name": "on",
        },
    )
    assert response.status_code == 302
    request_obj = DeviceRequest.objects.get()
    client.force_login(staff)
    client.post(f"/dons/demandes/{request_obj.pk}/valider/")
    assert DeviceRequest.objects.get().status == RequestStatus.VALIDATED

    client.force_login(refurbisher)
    dashboard = client.get("/dons/atelier/").content.decode()
    assert "Suggestions" in dashboard and f'value="{request_obj.pk}"' in dashboard
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/dons/atelier/lots/{lot.pk}/attribuer/",
            {"request_id": request_obj.pk, "quantity": "4"},
        )
    lot.refresh_from_db()
    assert lot.status == LotStatus.ALLOCATED
    assert DeviceRequest.objects.get().status == RequestStatus.SERVED

    # 4. The association confirms receipt.
    client.force_login(member)
    allocation = lot.allocations.get()
    client.post(f"/dons/attributions/{allocation.pk}/reception/")
    lot.refresh_from_db()
    assert lot.status == LotStatus.DELIVERED

    # 5. The donor's private page shows the journey, the receiver (it agreed) and the impact.
    client.logout()
    page = client.get(follow_path).content.decode()
    for label in (
        "Accepté par un reconditionneur",
        "Collecté",
        "Données effacées",
        "Reconditionné",
        "Attribué",
        "Remis",
    ):
        assert label in page
    assert "CERT-2025-001" in page
    assert association.name in page
    assert "219,6" in page  # 4 × 54.9 kg, written the French way
    assert "ADEME" in page
    certificate = client.get(follow_path + "attestation/")
    assert certificate.status_code == 200 and "Société Exemple" in certificate.content.decode()
    impact = client.get("/dons/impact/").content.decode()
    assert "54.9" in impact or "54,9" in impact
