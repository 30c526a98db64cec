"""Fonds d'accompagnement, the instruction half of the issue's "Done when", in a browser with
JavaScript off: three associations of Loire-Atlantique apply from their diagnostics (through
the real services: the applying pages are another family's); routing sends them to the
department's group; two reviewers score; an expert gives an opinion through the e-mailed
link; the committee asks one applicant for a correction, then accepts two within the budget
(20 days, 10,000 €) and refuses one with a reason.

(axe cannot run without JavaScript: these pages are checked by test_pages.)"""

import re
from datetime import timedelta

from django.core import mail
from django.utils import timezone

from ressourcerie.core.models import Organisation
from ressourcerie.core.models.organisations import OrganisationKind
from ressourcerie.fund.models import Application, ApplicationStatus, ExpertOpinion, Review
from ressourcerie.fund.services.applications import transition_application
from tests.factories import StaffFactory
from tests.fund import instruction_setup as setup

S = ApplicationStatus


def _main(page) -> str:
    return page.locator("main").inner_text()


def _move(page, base, reference, label, reason=""):
    page.goto(f"{base}/fonds/instruction/{reference}/")
    page.get_by_label("Étape").select_option(label=label)
    if reason:
        page.get_by_label("Motif (communiqué à l'association)").fill(reason)
    page.get_by_role("button", name="Valider").click()
    assert "Le dossier a changé d'étape." in _main(page), _main(page)


def _decide(page, base, slug, reference, decision, days="", euros="", reason=""):
    page.goto(f"{base}/fonds/gestion/appels/{slug}/comite/")
    page.get_by_role("link", name=f"Décider {reference}").click()
    page.get_by_label(decision, exact=True).check()
    if days:
        page.get_by_label("Jours accordés").fill(days)
    if euros:
        page.get_by_label("Montant accordé (€)").fill(euros)
    if reason:
        page.get_by_label("Motif ou conditions (communiqués à l'association)").fill(reason)
    page.get_by_role("button", name="Enregistrer la décision").click()


def test_fund_instruction_journey_without_javascript(live_server, no_js_context):
    base = live_server.url
    loire = setup.department()
    village = setup.commune(loire, insee="44001", name="Petitbourg", population=900)
    city = setup.commune(loire, insee="44109", name="Nantes", population=320000)
    group = setup.group_for_department(loire)
    setup.group_for_department(setup.department("49", "Maine-et-Loire"), name="Groupe 49")
    call = setup.make_call(departments=[loire])
    Organisation.objects.create(
        kind=OrganisationKind.SUPPORT_STRUCTURE,
        name="Numérique Solidaire 44",
        slug="numerique-solidaire-44",
        public_email="contact@numerique-solidaire.example",
    )
    dossiers = {}
    for name, place in (("Jardin", village), ("Sport", city), ("Culture", city)):
        organisation, member = setup.applicant(f"Association {name}", place)
        dossiers[name] = (setup.submit(call, organisation, member), member)
    jardin, sport, culture = (dossiers[n][0].reference for n in ("Jardin", "Sport", "Culture"))
    first, second = setup.reviewer(group), setup.reviewer(group)
    staff = StaffFactory()

    # 1. Routing: the team's list, filtered by the department's group, holds the three.
    team = no_js_context(user=staff).new_page()
    team.set_content("<title>off</title><script>document.title = 'on'</script>")
    assert team.title() == "off", "JavaScript is not disabled"
    team.goto(f"{base}/fonds/gestion/dossiers/")
    team.get_by_label("Groupe d'instruction").select_option(label=group.name)
    team.get_by_role("button", name="Filtrer").click()
    listed = _main(team)
    assert all(ref in listed for ref in (jardin, sport, culture)), listed

    # 2. Two reviewers score the rural association's dossier.
    for reviewer, marks in ((first, ("4", "3")), (second, ("5", "4"))):
        page = no_js_context(user=reviewer).new_page()
        page.goto(f"{base}/fonds/instruction/")
        page.get_by_role("link", name=f"évaluer {jardin}").click()
        page.get_by_label("Pertinence du projet (poids 2)").select_option(marks[0])
        page.get_by_label("Faisabilité (poids 1)").select_option(marks[1])
        page.get_by_label("Commentaire").fill("Projet clair, calendrier réaliste.")
        page.get_by_label("Votre avis").select_option(label="Favorable")
        page.get_by_role("button", name="Rendre l'évaluation").click()
        assert "Évaluation rendue" in _main(page), _main(page)
    assert Review.objects.filter(submitted_at__isnull=False).count() == 2

    # 3. The team asks an expert of the directory; the expert answers through the link.
    team.goto(f"{base}/fonds/instruction/{jardin}/")
    team.get_by_label("Structure d'accompagnement de l'annuaire").select_option(
        label="Numérique Solidaire 44"
    )
    deadline = (timezone.localdate() + timedelta(days=10)).strftime("%d/%m/%Y")
    team.get_by_label("Avis à rendre avant le").fill(deadline)
    team.get_by_role("button", name="Demander l'avis").click()
    assert "La demande d'avis est envoyée" in _main(team), _main(team)
    (request_mail,) = [m for m in mail.outbox if "contact@numerique-solidaire.example" in m.to]
    path = re.search(r"/fonds/avis/[^\s/]+/", request_mail.body).group(0)
    expert = no_js_context().new_page()
    expert.goto(base + path)
    assert "Former les bénévoles" in _main(expert)
    assert "calendrier réaliste" not in _main(expert)  # never the reviewers' comments
    expert.get_by_label("Votre avis sur le dossier").fill("Besoin réel, accompagnement adapté.")
    expert.get_by_label("En résumé").select_option(label="Favorable")
    expert.get_by_role("button", name="Rendre mon avis").click()
    assert "Votre avis est enregistré" in _main(expert)
    assert ExpertOpinion.objects.get().answered_at is not None
    expert.goto(base + path)
    assert "Votre avis a été rendu" in _main(expert)

    # 4. The team asks one applicant for a correction; the association corrects and resubmits
    # (its pages belong to the applying family), then the instruction starts for all three.
    _move(team, base, culture, "À corriger", "Le budget prévisionnel manque.")
    assert Application.objects.get(reference=culture).status == S.TO_CORRECT
    culture_app, culture_member = dossiers["Culture"]
    assert any("Le budget prévisionnel manque." in m.body for m in mail.outbox)
    transition_application(application=culture_app, to_status=S.SUBMITTED, actor=culture_member)
    for reference in (jardin, sport, culture):
        _move(team, base, reference, "En instruction")

    # 5. The committee: the rural dossier ranks first; two accepted within 20 days and
    # 10,000 €, a third over the budget is refused by the page, then refused with a reason.
    team.goto(f"{base}/fonds/gestion/appels/{call.slug}/comite/")
    ranking = team.locator("tbody tr").first.inner_text()
    assert jardin in ranking and "Commune de moins de 5 000 habitants" in ranking
    _decide(team, base, call.slug, jardin, "Accepter", days="12", euros="6000")
    assert "Décision enregistrée" in _main(team)
    _decide(team, base, call.slug, sport, "Accepter", days="9", euros="3000")
    assert "Il reste 8 jours au budget" in _main(team)
    assert team.get_by_label("Jours accordés").input_value() == "9"
    team.get_by_label("Jours accordés").fill("8")
    team.get_by_role("button", name="Enregistrer la décision").click()
    assert "Décision enregistrée" in _main(team)
    _decide(team, base, call.slug, culture, "Refuser", reason="Projet hors du champ de l'appel.")
    assert "Décision enregistrée" in _main(team)
    assert "0</strong> jours sur 20" in team.content() or "0 jours sur 20" in _main(team)
    decided = {a.reference: a for a in Application.objects.all()}
    assert decided[jardin].status == S.ACCEPTED and decided[sport].status == S.ACCEPTED
    assert decided[culture].status == S.REFUSED
    assert decided[culture].decision_reason == "Projet hors du champ de l'appel."
    letters = [m for m in mail.outbox if "lettre-de-decision.pdf" in m.body]
    assert len(letters) == 3
