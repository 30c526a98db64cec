"""Agenda, the issue's "Done when", in a browser with JavaScript off, as each person would do
it: a structure's editor writes a two-session workshop with 2 seats in Charente and the team
publishes it; three people register, the third is on the waiting list; one withdraws, the
third takes the seat offered by e-mail; the organiser moves the second session and the
attendees' e-mails carry SEQUENCE 1; the organiser marks attendance and a participant
downloads the certificate; the department's feed parses and shows the moved session.
Only the setup (people, the structure and its place) goes through factories.

(axe cannot run without JavaScript: these pages are checked by test_pages.)"""

import re
from datetime import timedelta

import icalendar
from django.core import mail
from django.utils import timezone

from ressourcerie.agenda.models import Registration, RegistrationStatus
from tests.agenda.factories import make_structure
from tests.factories import StaffFactory, UserFactory


def _main(page) -> str:
    return page.locator("main").inner_text()


def _to(address):
    return [m for m in mail.outbox if address in m.to]


def _link(message) -> str:
    return re.search(r"/agenda/inscription/[^\s/]+/", message.body).group(0)


def _sequences(message) -> set[int]:
    (part,) = [p for p in message.message().walk() if p.get_content_type() == "text/calendar"]
    assert part.get_param("method") == "REQUEST"
    calendar = icalendar.Calendar.from_ical(part.get_payload(decode=True))
    return {int(e["SEQUENCE"]) for e in calendar.walk("VEVENT")}


def test_agenda_journey_without_javascript(live_server, no_js_context):
    structure, editor, place = make_structure()
    staff = StaffFactory(email="equipe@plateforme.example")
    alice = UserFactory(email="alice@asso.example")
    first = timezone.localdate() + timedelta(days=10)
    second = timezone.localdate() + timedelta(days=17)
    moved = second + timedelta(days=2)

    # 1. The editor writes the workshop and sends it; the team publishes it.
    organiser = no_js_context(user=editor).new_page()
    organiser.set_content("<title>off</title><script>document.title = 'on'</script>")
    assert organiser.title() == "off", "JavaScript is not disabled"
    organiser.goto(live_server.url + "/agenda/nouveau/")
    organiser.get_by_label("Titre").fill("Atelier : tenir ses comptes avec un logiciel libre")
    organiser.get_by_label("Type").select_option(label="Atelier")
    organiser.get_by_label("Modalité").select_option(label="En présentiel")
    organiser.get_by_label("Lieu de l'annuaire", exact=True).select_option(label=place.name)
    organiser.get_by_label("Nombre de places").fill("2")
    for number, day in ((1, first), (2, second)):
        session = organiser.get_by_role("group", name=f"Séance {number}")
        session.get_by_label("Date").fill(day.isoformat())
        session.get_by_label("Début").fill("14:00")
        session.get_by_label("Fin").fill("17:00")
    organiser.get_by_role("button", name="Enregistrer").click()
    assert _main(organiser).count("L'événement est enregistré.") == 1
    event_url = organiser.url
    organiser.get_by_role("button", name="Publier").click()
    assert "envoyé à l'équipe" in _main(organiser)
    team = no_js_context(user=staff).new_page()
    team.goto(live_server.url + "/agenda/gestion/")
    team.get_by_role("button", name="Publier").click()
    assert _main(team).count("Événement publié.") == 1

    # 2. Alice (signed in) registers; Bruno and Chloé with their address, confirmed by link.
    page = no_js_context(user=alice).new_page()
    page.goto(event_url)
    page.get_by_role("button", name="S'inscrire").click()
    assert "Vous êtes inscrit" in _main(page)
    alice_registration = page.url
    for name, address in (("Bruno", "bruno@asso.example"), ("Chloé", "chloe@asso.example")):
        visitor = no_js_context().new_page()
        visitor.goto(event_url)
        visitor.get_by_label("Votre nom").fill(name)
        visitor.get_by_label("Votre adresse e-mail").fill(address)
        visitor.get_by_role("button", name=re.compile("S'inscrire|Rejoindre")).click()
        assert "Ouvrez le lien" in _main(visitor)
        visitor.goto(live_server.url + _link(_to(address)[0]))
        visitor.get_by_role("button", name="Confirmer mon inscription").click()
    assert "Liste d'attente" in _main(visitor)
    assert Registration.objects.get(email="chloe@asso.example").status == RegistrationStatus.WAITING

    # 3. Alice withdraws; Chloé gets the offer by e-mail and takes it.
    page.goto(alice_registration)
    page.get_by_role("button", name="Me désinscrire").click()
    assert _main(page).count("Vous êtes désinscrit.") == 1
    offer = _to("chloe@asso.example")[-1]
    assert "Une place se libère" in offer.subject
    visitor.goto(live_server.url + _link(offer))
    visitor.get_by_role("button", name="Accepter la place").click()
    assert "Inscrit" in _main(visitor)

    # 4. The organiser moves the second session: the attendees' invitations carry SEQUENCE 1.
    mail.outbox.clear()
    organiser.goto(event_url + "modifier/")
    organiser.get_by_role("group", name="Séance 2").get_by_label("Date").fill(moved.isoformat())
    organiser.get_by_role("button", name="Enregistrer").click()
    assert "Reprogrammé" in _main(organiser)
    for address in ("bruno@asso.example", "chloe@asso.example"):
        assert _sequences(_to(address)[-1]) == {1}

    # 5. Attendance, then Bruno's certificate.
    organiser.goto(event_url + "inscrits/")
    organiser.get_by_label("Bruno", exact=True).select_option(label="Présent")
    organiser.get_by_label("Chloé", exact=True).select_option(label="Excusé")
    organiser.get_by_role("button", name="Enregistrer les présences").click()
    assert "Présences enregistrées" in _main(organiser)
    bruno = no_js_context().new_page()
    bruno.goto(live_server.url + _link(_to("bruno@asso.example")[-1]))
    link = bruno.get_by_role("link", name=re.compile("attestation de présence"))
    pdf = bruno.request.get(live_server.url + link.get_attribute("href"))
    assert pdf.ok and pdf.body().startswith(b"%PDF")

    # 6. The feed of department 16 parses and shows the moved session.
    feed = bruno.request.get(live_server.url + "/agenda/agenda.ics?departement=16")
    calendar = icalendar.Calendar.from_ical(feed.body())
    assert sorted(e["DTSTART"].dt.date() for e in calendar.walk("VEVENT")) == [first, moved]
