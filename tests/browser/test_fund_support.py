"""Fonds d'accompagnement (2/2), the issue's "Done when" in a browser with JavaScript off:
after the committee, two accepted associations of rural communes of Loire-Atlantique that
chose collective support are proposed as one cohort; the team confirms it and asks two
actors; the first accepts, the second is told it is taken; the actor's three sessions are
confirmed by both associations; the associations retake the diagnostic; the dashboard shows
the days consumed and the progress per axis, and /api/v1/fund/impact.csv has the row.

A mere member of the actor's structure plans the first session in the agenda, both
associations register, the organiser marks who attended; the actor logs it from the
cohort's page (pre-filled from the agenda) and two more, closes the cohort with a report.
Not done through pages (said where): the associations' deposit (part 1's journey covers
it), the clock reaching the planned session (the event is moved to this morning), and
retaking the diagnostic (the diagnostic's own journey covers its pages).
``FUND_IMPACT_MIN_COUNT`` is lowered to 1 so that two supports show their averages.
(axe cannot run without JavaScript: these pages are checked by test_pages.)"""

import csv
import io
import re
from datetime import timedelta
from decimal import Decimal

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from ressourcerie.accounts.models import Membership, Role
from ressourcerie.agenda.models import Event
from ressourcerie.diagnostic.models import DiagnosticResponse
from ressourcerie.fund.models import (
    Cohort,
    CohortEvent,
    CohortStatus,
    Offer,
    OfferStatus,
    SessionLog,
    Support,
    SupportStatus,
)
from tests.factories import StaffFactory, UserFactory
from tests.fund import instruction_setup as setup
from tests.fund.support_setup import provider, themed_action


def _main(page) -> str:
    return page.locator("main").inner_text()


def _move_event(event_id, starts_at):
    """The clock reaching a planned session: its times moved, its length kept."""
    event = Event.objects.get(pk=event_id)
    shift = starts_at - event.starts_at
    for session in event.sessions.all():
        session.starts_at += shift
        session.ends_at += shift
        session.save()
    Event.objects.filter(pk=event_id).update(
        starts_at=event.starts_at + shift, ends_at=event.ends_at + shift
    )


def _collective_pair():
    loire = setup.department()
    villages = []
    for insee, name, population, lat, lon in (
        ("44001", "Petitbourg", 900, 47.20, -1.60),
        ("44002", "Grandchamp", 1_400, 47.26, -1.52),
    ):
        village = setup.commune(loire, insee=insee, name=name, population=population)
        village.latitude, village.longitude = lat, lon
        village.save()
        villages.append(village)
    call = setup.make_call(departments=[loire])
    call.individual_support, call.collective_support = False, True
    call.cohort_min, call.cohort_max = 2, 6
    call.save()
    staff = StaffFactory()
    pairs = []
    for name, village in zip(("Jardin partagé", "Club de lecture"), villages, strict=True):
        organisation, member = setup.applicant(f"Association {name}", village)
        DiagnosticResponse.objects.filter(organisation=organisation).update(
            completed_at=timezone.now() - timezone.timedelta(days=60)
        )
        application = setup.submit(call, organisation, member, days=Decimal("3"))
        key, code = themed_action(application)
        application.action_keys = [key]
        application.save(update_fields=["action_keys"])
        pairs.append((organisation, member))
    first, first_editor = provider(
        "Numérique Solidaire", latitude=47.25, longitude=-1.55, codes=[code]
    )
    second, second_editor = provider("Coop Asso", latitude=47.3, longitude=-1.5, codes=[code])
    return call, staff, pairs, (first, first_editor), (second, second_editor)


def test_fund_support_journey_without_javascript(live_server, no_js_context, settings):
    settings.FUND_IMPACT_MIN_COUNT = 1
    base = live_server.url
    call, staff, pairs, (first, first_editor), (second, second_editor) = _collective_pair()

    # 1. The committee accepts both dossiers (3 days each): their supports open; the
    # platform proposes the two as one cohort; the team confirms it.
    team = no_js_context(user=staff).new_page()
    team.set_content("<title>off</title><script>document.title = 'on'</script>")
    assert team.title() == "off", "JavaScript is not disabled"
    for organisation, _member in pairs:
        reference = organisation.fund_applications.get().reference
        team.goto(f"{base}/fonds/instruction/{reference}/")
        team.get_by_label("Étape").select_option(label="En instruction")
        team.get_by_role("button", name="Valider").click()
        assert "Le dossier a changé d'étape." in _main(team), _main(team)
        team.goto(f"{base}/fonds/gestion/appels/{call.slug}/comite/")
        team.get_by_role("link", name=f"Décider {reference}").click()
        team.get_by_label("Accepter", exact=True).check()
        team.get_by_label("Jours accordés").fill("3")
        team.get_by_label("Montant accordé (€)").fill("1200")
        team.get_by_role("button", name="Enregistrer la décision").click()
    assert Support.objects.filter(support_format="collectif").count() == 2
    # Collective supports wait for their cohort: nobody is asked yet.
    assert not Offer.objects.exists()
    team.goto(f"{base}/fonds/gestion/tableau-de-bord/?appel={call.slug}")
    team.get_by_role("link", name=f"groupes de « {call.title} »").click()
    suggested = _main(team)
    assert "Association Jardin partagé" in suggested and "Association Club de lecture" in suggested
    assert "Partage les actions" in suggested and "km de" in suggested
    team.get_by_label("Nom du groupe").fill("Groupe du bocage")
    team.get_by_role("button", name="Confirmer ce groupe").click()
    assert "Groupe « Groupe du bocage » confirmé" in _main(team), _main(team)
    cohort = Cohort.objects.get()
    assert cohort.status == CohortStatus.TO_ASSIGN and cohort.supports.count() == 2

    # 2. Two actors are asked; the first accepts, the second is told it is taken.
    team.get_by_label(re.compile("Numérique Solidaire —")).check()
    team.get_by_label(re.compile("Coop Asso —")).check()
    team.get_by_role("button", name="Envoyer les propositions").click()
    assert "2 proposition(s) envoyée(s)" in _main(team), _main(team)
    links = {}
    for message in mail.outbox:
        found = re.search(r"/fonds/proposition/[^\s/]+/", message.body)
        if found:
            links[tuple(message.to)] = found.group(0)
    first_link = next(v for k, v in links.items() if first_editor.email in k)
    second_link = next(v for k, v in links.items() if second_editor.email in k)
    actor = no_js_context(user=first_editor).new_page()
    actor.goto(base + first_link)
    assert "Groupe du bocage" in _main(actor)
    actor.get_by_role("button", name="J'accepte cet accompagnement").click()
    cohort.refresh_from_db()
    assert cohort.status == CohortStatus.ASSIGNED and cohort.actor == first
    late = no_js_context(user=second_editor).new_page()
    late.goto(base + second_link)
    assert "attribué" in _main(late), _main(late)
    assert cohort.offers.get(actor=second).status == OfferStatus.TAKEN
    assert any(second_editor.email in m.to and "déjà attribué" in m.body for m in mail.outbox)

    # 3. A mere member of the actor's structure (not an editor) plans the first session in
    # the agenda; both associations register there; the session takes place (the clock:
    # the event is moved to this morning) and the organiser's editor marks the first
    # association present, the second absent.
    colleague = UserFactory()
    Membership.objects.create(user=colleague, organisation=first, role=Role.MEMBER)
    planner = no_js_context(user=colleague).new_page()
    planner.goto(f"{base}/fonds/mes-accompagnements/")
    planner.get_by_role("link", name="Association Jardin partagé").click()
    planner.get_by_role("link", name="Séances et bilan du groupe « Groupe du bocage »").click()
    planner.get_by_role("link", name="Programmer une séance collective").click()
    planner.get_by_label("Date").fill((timezone.localdate() + timedelta(days=7)).isoformat())
    planner.get_by_label("Heure de début").fill("14:00")
    planner.get_by_label("Heure de fin").fill("17:30")
    planner.get_by_role("radio", name="En ligne").check()
    planner.get_by_label("Lien de connexion (en ligne)").fill("https://visio.example.org/bocage")
    planner.get_by_role("button", name="Programmer la séance").click()
    assert "La séance est programmée" in _main(planner), _main(planner)
    event_id = CohortEvent.objects.get(cohort=cohort).event_id
    for organisation, member in pairs:
        page = no_js_context(user=member).new_page()
        reference = Support.objects.get(application__organisation=organisation)
        page.goto(f"{base}/fonds/dossiers/{reference.application.reference}/accompagnement/")
        page.get_by_role("link", name="Accompagnement collectif — Groupe du bocage").click()
        page.get_by_label("Au nom de l'association").select_option(label=organisation.name)
        page.get_by_role("button", name="S'inscrire").click()
        assert "Vous êtes inscrit" in _main(page), _main(page)
    this_morning = timezone.make_aware(
        timezone.datetime.combine(timezone.localdate(), timezone.datetime.min.time())
    )
    _move_event(event_id, this_morning)
    actor.goto(f"{base}/agenda/{event_id}/inscrits/")
    (present_member, absent_member) = (pairs[0][1], pairs[1][1])
    actor.get_by_label(present_member.display_name or present_member.email).select_option(
        label="Présent"
    )
    actor.get_by_label(absent_member.display_name or absent_member.email).select_option(
        label="Absent"
    )
    actor.get_by_role("button", name="Enregistrer les présences").click()

    # 4. The actor logs it from the cohort's page: date, length and who attended come from
    # the agenda; then two more sessions with every association present.
    actor.goto(f"{base}/fonds/mes-accompagnements/")
    actor.get_by_role("link", name="Association Club de lecture").click()
    actor.get_by_role("link", name="Séances et bilan du groupe « Groupe du bocage »").click()
    actor.get_by_role("link", name=re.compile("Enregistrer cette séance")).click()
    assert actor.get_by_label("Durée").input_value() == "3,5"
    assert actor.get_by_label("Association Jardin partagé").is_checked()
    assert not actor.get_by_label("Association Club de lecture").is_checked()
    actor.get_by_label("Note courte").fill("Sauvegardes")
    actor.get_by_role("button", name="Enregistrer la séance").click()
    assert "La séance est enregistrée" in _main(actor), _main(actor)
    assert SessionLog.objects.get(note="Sauvegardes").event_id == event_id
    # A session in the future is refused, what was typed kept.
    actor.get_by_label("Date de la séance").fill("2999-01-01")
    actor.get_by_label("Durée").fill("3,5")
    actor.get_by_label("Note courte").fill("Mots de passe")
    actor.get_by_role("button", name="Enregistrer la séance").click()
    assert "dans le futur" in _main(actor) and actor.get_by_label("Note courte").input_value() == (
        "Mots de passe"
    )
    for note in ("Mots de passe", "Bilan"):
        actor.get_by_label("Date de la séance").fill(timezone.localdate().isoformat())
        actor.get_by_label("Durée").fill("3,5")
        actor.get_by_label("Note courte").fill(note)
        actor.get_by_role("button", name="Enregistrer la séance").click()
        assert "La séance est enregistrée" in _main(actor), _main(actor)
    assert SessionLog.objects.filter(cohort=cohort).count() == 3

    # 5. Both associations confirm each session on their support's page.
    for organisation, member in pairs:
        page = no_js_context(user=member).new_page()
        reference = Support.objects.get(
            application__organisation=organisation
        ).application.reference
        for _session in range(3):
            page.goto(f"{base}/fonds/dossiers/{reference}/accompagnement/")
            page.get_by_label("A bien eu lieu").first.check()
            page.get_by_role("button", name="Envoyer ma réponse").first.click()
        assert "a-t-elle eu lieu" not in _main(page), _main(page)
    assert "notée absente" in _main(page)

    # 6. The actor closes the cohort with its report; the associations are invited and
    # retake the diagnostic (its own journey covers those pages); the daily command
    # measures the result.
    actor.goto(f"{base}/fonds/mes-accompagnements/groupes/{cohort.pk}/")
    actor.get_by_label("Bilan de l'accompagnement").fill("Sauvegardes en place partout.")
    actor.get_by_role("button", name="Terminer le groupe avec ce bilan").click()
    assert "Le groupe est terminé" in _main(actor), _main(actor)
    assert set(Support.objects.values_list("status", flat=True)) == {SupportStatus.DONE}
    call_command("measure_fund_supports")
    assert sum("refaites l'autodiagnostic" in m.subject for m in mail.outbox) == 2
    for organisation, member in pairs:
        setup.complete_diagnostic(organisation, member)
    call_command("measure_fund_supports")
    assert all(s.result for s in Support.objects.all())

    # 7. The dashboard shows the days consumed and the progress per axis; the open data has
    # the call's rows.
    team.goto(f"{base}/fonds/gestion/tableau-de-bord/?appel={call.slug}")
    board = _main(team)
    assert re.search(r"Jours d'accompagnement\s+20\s+6\s+3", board), board
    assert "Progrès par axe" in board and "masqué (moins de" not in board
    table = team.get_by_role("table", name=re.compile("Progrès par axe"))
    assert table.locator("tbody tr").count() >= 1
    response = team.request.get(f"{base}/api/v1/fund/impact.csv")
    rows = list(csv.DictReader(io.StringIO(response.text())))
    mine = [r for r in rows if r["appel"] == call.slug]
    assert mine and all(r["accompagnements_termines"] == "2" for r in mine), rows
