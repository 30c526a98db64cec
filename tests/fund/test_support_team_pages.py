"""The team's support pages: cohorts of a call (confirm, edit with French refusals, drop),
the dashboard with its exports and chart, and the impact open data with small counts
suppressed."""

import csv
import html as htmllib
import io
import zipfile
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from ressourcerie.fund.models import Cohort, CohortStatus, SessionLog, SupportStatus
from ressourcerie.fund.selectors import support_cohorts as selectors
from ressourcerie.fund.selectors.support_dashboard import dashboard
from tests.factories import OrganisationFactory, UserFactory

from .support_team_setup import accepted_support, collective_call, place

pytestmark = pytest.mark.django_db


@pytest.fixture
def team_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def _pair(call):
    return (
        accepted_support(call, place("montbron")),
        accepted_support(call, place("confolens")),
    )


def _done(call, commune, before, after, *, keys=("sauvegarde",)):
    support = accepted_support(
        call, commune, keys=keys, status=SupportStatus.DONE, scores=(before, 40)
    )
    support.result = {
        "axes": [
            {"key": "securite", "name": "Sécurité", "before": before, "after": after},
            {"key": "outils", "name": "Outils collaboratifs", "before": 40, "after": None},
        ],
        "actions_done": [],
        "actions_covered": [],
    }
    support.save()
    return support


def test_cohort_page_shows_the_suggestion_and_confirms_it(team_client):
    call = collective_call()
    a, b = _pair(call)
    url = reverse("fund:cohort_suggestions", args=[call.slug])
    page = team_client.get(url).content.decode()
    assert a.application.organisation.name in page and "Partage les actions" in page
    [suggestion] = selectors.suggest(call)
    response = team_client.post(url, {"suggestion": suggestion.key, "name": "Sauvegarde 16"})
    cohort = Cohort.objects.get()
    assert response.status_code == 302 and cohort.name == "Sauvegarde 16"
    assert cohort.status == CohortStatus.TO_ASSIGN
    detail = team_client.get(response["Location"]).content.decode()
    assert "Sauvegarde 16" in detail and b.application.organisation.name in detail


def test_stale_suggestion_and_refused_edits_answer_400_in_french(team_client):
    call = collective_call(cohort_min=2, cohort_max=2)
    a, _b = _pair(call)
    url = reverse("fund:cohort_suggestions", args=[call.slug])
    response = team_client.post(url, {"suggestion": "1-2-3", "name": ""})
    assert response.status_code == 400 and "plus d'actualité" in htmllib.unescape(
        response.content.decode()
    )
    [suggestion] = selectors.suggest(call)
    team_client.post(url, {"suggestion": suggestion.key})
    cohort = Cohort.objects.get()
    detail = reverse("fund:cohort_detail", args=[call.slug, cohort.pk])
    response = team_client.post(detail, {"action": "retirer", "support": a.pk})
    assert response.status_code == 400
    assert "compterait 1 association" in response.content.decode()
    response = team_client.post(detail, {"action": "abandonner", "reason": ""})
    assert response.status_code == 400 and "pourquoi" in htmllib.unescape(response.content.decode())
    response = team_client.post(detail, {"action": "abandonner", "reason": "Trop tôt."})
    assert response.status_code == 302
    cohort.refresh_from_db()
    assert cohort.status == CohortStatus.DROPPED


def test_dashboard_counts_days_consumed_and_hides_small_progress(team_client, settings):
    call = collective_call()
    running = accepted_support(call, place("angouleme"), status=SupportStatus.RUNNING)
    actor = OrganisationFactory(name="Le Relais numérique")
    running.actor = actor
    running.save()
    SessionLog.objects.create(
        support=running,
        held_on=timezone.localdate(),
        duration=Decimal("3.5"),
        days=Decimal("0.5"),
    )
    for score in (20, 30):
        _done(call, place("ruelle"), score, score + 20)
    board = dashboard(call)
    assert board.days_consumed == Decimal("0.5") and board.euros_consumed == 200
    assert board.days_committed == Decimal("9")
    [securite] = board.progress  # the other axis has no after-score
    assert securite.count == 2 and not securite.shown and securite.before is None
    assert [a.name for a in board.actors] == ["Le Relais numérique"]
    page = team_client.get(reverse("fund:support_dashboard"), {"appel": call.slug})
    html = page.content.decode()
    assert page.status_code == 200 and "masqué (moins de 5" in html and "<svg" not in html
    settings.FUND_IMPACT_MIN_COUNT = 2
    html = team_client.get(reverse("fund:support_dashboard")).content.decode()
    assert "<svg" in html and "Sécurité : 25,0 avant, 45,0 après." in html
    assert "+20,0" in html


def test_dashboard_exports(team_client):
    call = collective_call()
    _done(call, place("ruelle"), 20, 40)
    response = team_client.get(reverse("fund:support_dashboard_csv"), {"appel": call.slug})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["rubrique", "libellé", "valeur", "nombre"]
    assert ["budget", "jours engagés", "3", ""] in rows
    response = team_client.get(reverse("fund:support_dashboard_ods"))
    assert response["Content-Type"] == "application/vnd.oasis.opendocument.spreadsheet"
    content = zipfile.ZipFile(io.BytesIO(response.content)).read("content.xml").decode()
    assert "jours engagés" in content


def test_dashboard_refuses_an_unknown_call_softly(team_client):
    response = team_client.get(reverse("fund:support_dashboard"), {"appel": "nope"})
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()


def test_impact_open_data_suppresses_cells_under_the_threshold(client, settings):
    call = collective_call()
    for score in (20, 30, 40, 50):
        _done(call, place("ruelle"), score, score + 10)
    data = client.get("/api/v1/fund/impact").json()
    assert data["seuil"] == 5
    row = next(r for r in data["impact"] if r["axe"] == "securite")
    assert row["appel"] == call.slug
    assert row["accompagnements_termines"] is None and row["score_moyen_avant"] is None
    _done(call, place("ruelle"), 60, 70)
    response = client.get("/api/v1/fund/impact.csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    securite = next(r for r in rows if r["axe"] == "securite")
    assert securite["accompagnements_termines"] == "5"
    assert securite["score_moyen_avant"] == "40.0" and securite["score_moyen_apres"] == "50.0"
    # The second axis has no after-score: nothing measured, no row.
    assert [r["axe"] for r in rows] == ["securite"]
    settings.FUND_IMPACT_MIN_COUNT = 6
    rows = list(csv.DictReader(io.StringIO(client.get("/api/v1/fund/impact.csv").content.decode())))
    assert rows[0]["accompagnements_termines"] == "" and rows[0]["score_moyen_apres"] == ""
