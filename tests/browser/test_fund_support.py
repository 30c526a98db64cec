"""Fonds d'accompagnement (2/2), the issue's "Done when" in a browser with JavaScript off:
after the committee, two accepted associations of rural communes of Loire-Atlantique that
chose collective support are proposed as one cohort; the team confirms it and asks two
actors; the first accepts, the second is told it is taken; the actor's three sessions are
confirmed by both associations; the associations retake the diagnostic; the dashboard shows
the days consumed and the progress per axis, and /api/v1/fund/impact.csv has the row.

Done through the services, not pages (said where): the committee's acceptance (part 1's
journey covers it), logging a cohort's sessions (no actor page for a cohort's sessions yet:
``services.support.log_session(cohort=...)`` is what that page will call), closing the
cohort, and retaking the diagnostic (the diagnostic's own journey covers its pages).
``FUND_IMPACT_MIN_COUNT`` is lowered to 1 so that two supports show their averages.
(axe cannot run without JavaScript: these pages are checked by test_pages.)"""

import csv
import io
import re
from decimal import Decimal

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from ressourcerie.diagnostic.models import DiagnosticResponse
from ressourcerie.fund.models import (
    ApplicationStatus,
    Cohort,
    CohortStatus,
    DurationUnit,
    OfferStatus,
    Support,
    SupportStatus,
)
from ressourcerie.fund.services.applications import transition_application
from ressourcerie.fund.services.support import log_session, transition_cohort
from tests.factories import StaffFactory
from tests.fund import instruction_setup as setup
from tests.fund.support_setup import provider, themed_action

S = ApplicationStatus


def _main(page) -> str:
    return page.locator("main").inner_text()


def _accepted_collective_pair():
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
        transition_application(application=application, to_status=S.IN_REVIEW, actor=staff)
        transition_application(
            application=application, to_status=S.ACCEPTED, actor=staff, days_granted=3
        )
        pairs.append((organisation, member))
    first, first_editor = provider(
        "Numérique Solidaire", latitude=47.25, longitude=-1.55, codes=[code]
    )
    second, second_editor = provider("Coop Asso", latitude=47.3, longitude=-1.5, codes=[code])
    return call, staff, pairs, (first, first_editor), (second, second_editor)


def test_fund_support_journey_without_javascript(live_server, no_js_context, settings):
    settings.FUND_IMPACT_MIN_COUNT = 1
    base = live_server.url
    call, staff, pairs, (first, first_editor), (second, second_editor) = _accepted_collective_pair()
    assert Support.objects.filter(support_format="collectif").count() == 2

    # 1. The platform proposes the two as one cohort; the team confirms it.
    team = no_js_context(user=staff).new_page()
    team.set_content("<title>off</title><script>document.title = 'on'</script>")
    assert team.title() == "off", "JavaScript is not disabled"
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

    # 3. The actor logs three sessions (service: see the module's docstring); both
    # associations confirm each on their support's page.
    for note in ("Sauvegardes", "Mots de passe", "Bilan"):
        log_session(
            cohort=cohort,
            held_on=timezone.localdate(),
            duration=Decimal("3.5"),
            unit=DurationUnit.HOURS,
            action_keys=list(cohort.action_keys),
            attendees="Les bénévoles",
            note=note,
            actor=first_editor,
        )
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

    # 4. The cohort ends (its actor closes it), the associations are invited and retake the
    # diagnostic; the daily command measures the result.
    transition_cohort(cohort=cohort, target=CohortStatus.DONE, actor=first_editor)
    assert set(Support.objects.values_list("status", flat=True)) == {SupportStatus.DONE}
    call_command("measure_fund_supports")
    assert sum("refaites l'autodiagnostic" in m.subject for m in mail.outbox) == 2
    for organisation, member in pairs:
        setup.complete_diagnostic(organisation, member)
    call_command("measure_fund_supports")
    assert all(s.result for s in Support.objects.all())

    # 5. The dashboard shows the days consumed and the progress per axis; the open data has
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
