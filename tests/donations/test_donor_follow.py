"""#18 item 5, "Donors know what happens": the follow page names who accepted the lot and how
to reach them, every e-mail carries the private link, the donor changes or withdraws an offer
nobody accepted, the confirmation summarises the offer, dates are pickers with a future
example, the long form opens with an error summary, empty lots do not say "obligatoire", and
the impact certificate is offered only when there is impact."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone
from django.utils.html import escape

from ressourcerie.donations import services
from ressourcerie.donations.models import LotStatus, Offer, Transition
from tests.factories import CommuneFactory

from .factories import make_offer, make_refurbisher
from .test_pages import _offer_data

pytestmark = pytest.mark.django_db


def _accepted(commune, **org):
    workshop, refurbisher = make_refurbisher(
        "Atelier Réemploi Nantais", public_email="atelier@reemploi.example", **org
    )
    workshop.commune = commune
    workshop.save()
    offer, secret = make_offer(commune)
    lot = offer.lots.get()
    services.transition_lot(
        lot=lot, to_status=LotStatus.ACCEPTED, actor=refurbisher, refurbisher=workshop
    )
    return offer, secret, lot


def test_follow_page_names_the_refurbisher_its_town_the_plan_and_next_step(client):
    commune = CommuneFactory()
    _offer, secret, _lot = _accepted(commune)
    page = client.get(f"/dons/suivi/{secret}/").content.decode()
    assert "Atelier Réemploi Nantais" in page
    assert f"({commune.name})" in page
    assert "atelier@reemploi.example" in page
    assert "Enlèvement par Atelier Réemploi Nantais" in page  # the planned collection
    assert "Et maintenant ?" in page and "va vous contacter" in page


def test_every_email_to_the_donor_carries_the_private_link(django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        offer, secret, _lot = _accepted(CommuneFactory())
    to_donor = [m for m in mail.outbox if offer.donor.email in m.to]
    assert len(to_donor) >= 2  # confirmation, then "accepted"
    for message in to_donor:
        assert f"/dons/suivi/{secret}/" in message.body, message.subject
    accepted = to_donor[-1]
    assert "Atelier Réemploi Nantais" in accepted.body
    assert "atelier@reemploi.example" in accepted.body


def test_confirmation_email_summarises_the_offer(django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        offer, _secret = make_offer(CommuneFactory(), confirmed=False, quantity=7)
    (message,) = [m for m in mail.outbox if offer.donor.email in m.to]
    assert "7 × Ordinateur portable" in message.body
    assert "Enlèvement sur place" in message.body
    assert "12 rue Secrète" in message.body
    assert "à partir du" in message.body


def test_donor_changes_an_offer_nobody_accepted(client, django_capture_on_commit_callbacks):
    offer, secret = make_offer(CommuneFactory(), quantity=5)
    lot = offer.lots.get()
    page = client.get(f"/dons/suivi/{secret}/").content.decode()
    assert "Modifier mon offre" in page and "Retirer mon offre" in page
    start = timezone.localdate() + datetime.timedelta(days=10)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/dons/suivi/{secret}/modifier/",
            {
                "logistics": "depot",
                "address": "",
                "available_from": start.isoformat(),  # what a date picker sends
                "phone": "",
                "notes": "Sonnez au portail",
                f"lot_{lot.pk}": "4",
            },
            follow=True,
        )
    assert response.content.decode().count(escape("Votre offre est modifiée.")) == 1
    offer.refresh_from_db()
    lot.refresh_from_db()
    assert (offer.logistics, offer.available_from, offer.notes) == (
        "depot",
        start,
        "Sonnez au portail",
    )
    assert lot.quantity == 4
    (message,) = mail.outbox
    assert "4 × Ordinateur portable" in message.body and f"/dons/suivi/{secret}/" in message.body


def test_donor_withdraws_through_a_confirmation_page(client):
    offer, secret = make_offer(CommuneFactory())
    lot = offer.lots.get()
    page = client.get(f"/dons/suivi/{secret}/retirer/").content.decode()
    assert "Oui, retirer mon offre" in page
    lot.refresh_from_db()
    assert lot.status == LotStatus.PROPOSED  # the GET changed nothing
    response = client.post(f"/dons/suivi/{secret}/retirer/", follow=True)
    assert response.content.decode().count(escape("Votre offre est retirée.")) == 1
    lot.refresh_from_db()
    assert lot.status == LotStatus.WITHDRAWN
    record = Transition.objects.filter(object_id=lot.pk, to_status=LotStatus.WITHDRAWN).get()
    assert record.from_status == LotStatus.PROPOSED
    # No longer offered to workshops, and no longer changeable.
    assert not Offer.objects.filter(lots__status=LotStatus.PROPOSED).exists()
    assert "Modifier mon offre" not in client.get(f"/dons/suivi/{secret}/").content.decode()


def test_an_accepted_offer_can_no_longer_be_changed_or_withdrawn(client):
    offer, secret, lot = _accepted(CommuneFactory())
    assert "Modifier mon offre" not in client.get(f"/dons/suivi/{secret}/").content.decode()
    client.post(f"/dons/suivi/{secret}/retirer/")
    lot.refresh_from_db()
    assert lot.status == LotStatus.ACCEPTED
    with pytest.raises(services.DonationError, match="déjà accepté"):
        services.withdraw_offer(offer=offer)


def test_nobody_but_the_donor_withdraws_a_lot():
    org, refurbisher = make_refurbisher()
    offer, _secret = make_offer(CommuneFactory())
    lot = offer.lots.get()
    assert LotStatus.WITHDRAWN not in services.allowed_moves(lot, refurbisher)
    with pytest.raises(services.DonationError, match="Seul le donateur"):
        services.transition_lot(lot=lot, to_status=LotStatus.WITHDRAWN, actor=refurbisher)


def test_date_fields_are_pickers_with_an_example_in_the_future(client):
    page = client.get("/dons/donner/").content.decode()
    tag = re.search(r'<input[^>]*name="available_from"[^>]*>', page).group(0)
    assert 'type="date"' in tag
    example = re.search(r"par exemple (\d\d)/(\d\d)/(\d{4})", page)
    day, month, year = (int(x) for x in example.groups())
    assert datetime.date(year, month, day) > timezone.localdate()


def test_long_form_opens_with_an_error_summary_linking_to_fields(client):
    CommuneFactory()
    page = client.post("/dons/donner/", _offer_data(siret="", **{"lots-0-quantity": "0"}))
    html = page.content.decode()
    summary = html.index('class="alert alert-error error-summary"')
    assert summary < html.index('<form method="post"')
    assert 'href="#id_siret_error"' in html
    assert 'href="#id_lots-0-quantity_error"' in html
    assert "<title>Erreur :" in html


def test_empty_lots_do_not_say_obligatoire(client):
    page = client.get("/dons/donner/").content.decode()
    lot_part = page[page.index("Les appareils") :]
    assert "obligatoire" not in lot_part
    # A lot filled in without its condition is "Je ne sais pas".
    CommuneFactory()
    client.post("/dons/donner/", _offer_data(**{"lots-0-condition": ""}))
    assert Offer.objects.get().lots.get().condition == "inconnu"


def test_impact_certificate_offered_only_with_impact(client):
    _offer, secret = make_offer(CommuneFactory())
    page = client.get(f"/dons/suivi/{secret}/").content.decode()
    assert f"/dons/suivi/{secret}/attestation/" not in page
    certificate = client.get(f"/dons/suivi/{secret}/attestation/").content.decode()
    assert "sera disponible" in certificate
    assert "<table" not in certificate


def test_home_says_no_device_yet_instead_of_zero(client):
    page = client.get("/dons/").content.decode()
    assert "0 appareils" not in page
    assert "Aucun appareil réemployé pour l" in page
