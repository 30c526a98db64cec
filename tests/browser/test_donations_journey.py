"""Dons d'ordinateurs, the issue's "Done when", in a browser with JavaScript off, as each party
would do it: a donor offers 5 laptops through the public form and confirms it from the e-mail;
a refurbisher accepts, collects, records erasure, reconditions 4 and recycles 1, allocates the
4 from its dashboard's suggestion; the association confirms receipt; the donor's private page
shows the journey and the impact. Only the setup (people, organisations, the request already
validated by staff) goes through factories.

(axe cannot run without JavaScript: these pages are checked by test_pages.)"""

import datetime
import re

from django.core import mail
from django.utils import timezone

from ressourcerie.donations.models import DeviceRequest, Lot, LotStatus, RequestStatus
from tests.donations.factories import make_association_member, make_refurbisher, make_request
from tests.factories import CommuneFactory


def _main(page) -> str:
    return page.locator("main").inner_text()


def test_dons_journey_donor_refurbisher_association_without_javascript(live_server, no_js_context):
    commune = CommuneFactory()  # Nantes
    workshop, refurbisher = make_refurbisher("Atelier Réemploi Nantais")
    workshop.commune = commune
    workshop.save()
    association, member = make_association_member("Les Amis du Jardin")
    request_obj = make_request(association, member, quantity=4, validated=True)
    # A date picker (type="date"): the browser sends ISO dates.
    start = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()

    # 1. The donor, without an account, offers 5 laptops.
    donor = no_js_context().new_page()
    donor.set_content("<title>off</title><script>document.title = 'on'</script>")
    assert donor.title() == "off", "JavaScript is not disabled"
    donor.goto(live_server.url + "/dons/")
    donor.get_by_role("link", name="Donner du matériel").click()
    assert donor.get_by_role("heading", level=1).inner_text() == "Donner des ordinateurs"
    donor.get_by_label("Vous êtes").select_option(label="Entreprise")
    donor.get_by_label("Nom de l'organisation").fill("Société Exemple")
    donor.get_by_label("SIRET").fill("732 829 320 00074")
    donor.get_by_label("Adresse e-mail").fill("it@entreprise.example")
    donor.get_by_label("Téléphone").fill("02 40 00 00 00")
    donor.get_by_label("Commune où se trouvent les appareils").fill("Nantes")
    donor.get_by_label("Enlèvement sur place").check()
    donor.get_by_label("Adresse d'enlèvement").fill("12 rue Secrète")
    donor.get_by_label("À faire par le reconditionneur").check()
    donor.get_by_label("Disponibles à partir du").fill(start)
    lot_one = donor.get_by_role("group", name="Lot 1")
    lot_one.get_by_label("Type d'appareil").select_option(label="Ordinateur portable")
    lot_one.get_by_label("Quantité").fill("5")
    lot_one.get_by_label("Année approximative").fill("2018")
    donor.get_by_role("button", name="Proposer ce don").click()
    assert "/dons/donner/envoyee/" in donor.url, _main(donor)
    assert "238 bis" in _main(donor)  # organisations are told about the tax receipt

    (confirmation,) = [m for m in mail.outbox if "it@entreprise.example" in m.to]
    confirm_path = re.search(r"/dons/confirmer/[^\s/]+/", confirmation.body).group(0)
    follow_path = re.search(r"/dons/suivi/[^\s/]+/", confirmation.body).group(0)
    donor.goto(live_server.url + confirm_path)
    donor.get_by_role("button", name="Je confirme mon offre").click()
    assert donor.url.endswith(follow_path)
    assert _main(donor).count("votre offre est confirmée") == 1  # one flash, not two
    notices = [m for m in mail.outbox if refurbisher.email in m.to]
    assert notices and "it@entreprise.example" not in notices[0].body
    assert "Et maintenant ?" in _main(donor)

    # 1b. The donor changes the offer (nobody accepted it yet): a pickup date a week later.
    donor.get_by_role("link", name="Modifier mon offre").click()
    later = (timezone.localdate() + datetime.timedelta(days=7)).isoformat()
    donor.get_by_label("Disponibles à partir du").fill(later)
    donor.get_by_role("button", name="Enregistrer les changements").click()
    assert donor.url.endswith(follow_path)
    assert _main(donor).count("Votre offre est modifiée.") == 1
    changed = [m for m in mail.outbox if m.subject == "Votre offre de don est modifiée"]
    assert len(changed) == 1 and follow_path in changed[0].body

    # 2. The refurbisher accepts, collects, records erasure, reconditions 4, recycles 1.
    shop = no_js_context(user=refurbisher).new_page()
    shop.goto(live_server.url + "/dons/atelier/")
    assert "Atelier : Atelier Réemploi Nantais" in _main(shop)
    shop.get_by_role("link", name=re.compile(r"Offre n° \d+")).click()
    assert "Visible après acceptation d'un lot." in _main(shop)  # contacts hidden until then
    assert "it@entreprise.example" not in _main(shop)
    shop.get_by_role("button", name="Accepter ce lot").click()
    assert _main(shop).count("Lot accepté.") == 1
    assert "it@entreprise.example" in _main(shop)  # now it handles the lot
    shop.get_by_role("button", name="Marquer comme collecté").click()
    assert "Collecté" in shop.get_by_role("heading", level=1).inner_text()

    shop.get_by_role("button", name="Enregistrer l'effacement").click()  # empty: refused
    assert "Indiquez la méthode d'effacement" in _main(shop)
    shop.get_by_label("Méthode d'effacement").fill("nwipe (DoD 5220.22-M)")
    shop.get_by_label("Référence du certificat d'effacement").fill("CERT-2025-001")
    shop.get_by_role("button", name="Enregistrer l'effacement").click()
    assert "nwipe (DoD 5220.22-M) — CERT-2025-001" in _main(shop)

    shop.get_by_label("Appareils reconditionnés").fill("5")
    shop.get_by_label("Appareils recyclés (filière DEEE)").fill("1")
    shop.get_by_role("button", name="Enregistrer").click()  # 6 ≠ 5: refused, nothing written
    assert _main(shop).count("doivent faire 5 au total") == 1
    shop.get_by_label("Appareils reconditionnés").fill("4")
    shop.get_by_label("Appareils recyclés (filière DEEE)").fill("1")
    shop.get_by_role("button", name="Enregistrer").click()
    assert "4 reconditionné(s), 1 recyclé(s), 4 à attribuer" in _main(shop)

    # … and allocates the 4 by confirming the dashboard's suggestion.
    shop.goto(live_server.url + "/dons/atelier/")
    suggestion = shop.get_by_role("row").filter(has_text="Les Amis du Jardin")
    assert suggestion.count() == 1
    suggestion.get_by_role("button", name="Confirmer").click()
    assert _main(shop).count("C'est enregistré.") == 1
    assert "Attribué" in shop.get_by_role("heading", level=1).inner_text()
    lot = Lot.objects.get()
    assert (lot.status, lot.reused_count, lot.recycled_count) == (LotStatus.ALLOCATED, 4, 1)
    assert DeviceRequest.objects.get(pk=request_obj.pk).status == RequestStatus.SERVED

    # 3. The association's member confirms receipt; it never sees the donor's contacts.
    association_page = no_js_context(user=member).new_page()
    response = association_page.goto(live_server.url + f"/dons/atelier/lots/{lot.pk}/")
    assert response.status == 404
    association_page.goto(live_server.url + "/dons/mes-demandes/")
    assert "4 appareil(s) attribué(s)" in _main(association_page)
    association_page.get_by_role("button", name="Nous les avons reçus").click()
    assert _main(association_page).count("Réception confirmée. Merci !") == 1
    assert "Reçu le" in _main(association_page)
    assert "it@entreprise.example" not in association_page.content()
    assert Lot.objects.get().status == LotStatus.DELIVERED

    # 4. The donor, in a fresh browser with only the private link, sees journey and impact.
    donor = no_js_context().new_page()
    donor.goto(live_server.url + follow_path)
    journey = _main(donor)
    for step in (
        "Accepté par un reconditionneur",
        "Collecté",
        "Données effacées",
        "Reconditionné",
        "Attribué",
        "Remis",
    ):
        assert step in journey, step
    assert "Données effacées (nwipe (DoD 5220.22-M)), certificat CERT-2025-001." in journey
    assert "4 reconditionné(s), 1 recyclé(s) en filière DEEE." in journey
    assert "Remis à : Les Amis du Jardin" in journey  # the association agreed (share_name)
    assert "Pris en charge par Atelier Réemploi Nantais" in journey
    assert "Modifier mon offre" not in journey  # accepted: changes go through the workshop
    assert "contact-prive@asso.example" not in donor.content()
    assert "219,6" in journey  # 4 × 54.9 kg CO2e
    assert "ADEME" in journey
    donor.get_by_role("link", name="Attestation d'impact à imprimer").click()
    assert "Société Exemple" in _main(donor)
