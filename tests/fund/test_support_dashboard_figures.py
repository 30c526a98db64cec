"""The dashboard's figures on a small case counted by hand: the delays (summed by the
database, the decision's day taken in Paris), the counts per department, sector and
priority criterion, and the progress per axis with its privacy threshold. Run on SQLite
and on PostgreSQL (DATABASE_URL): the delays and the axes are computed by each engine."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from ressourcerie.fund.models import (
    Application,
    ApplicationStatus,
    Cohort,
    CohortStatus,
    PriorityCriterion,
    PriorityKind,
    SessionLog,
    SupportStatus,
)
from ressourcerie.fund.selectors.support_dashboard import dashboard
from ressourcerie.fund.selectors.support_impact import impact_records
from tests.factories import OrganisationFactory

from .support_team_setup import accepted_support, collective_call, place

pytestmark = pytest.mark.django_db


def _at(day, hour, minute=0):
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


def _dates(support, submitted, decided):
    Application.objects.filter(pk=support.application_id).update(
        submitted_at=submitted, decided_at=decided
    )


def _session(held_on, *, support=None, cohort=None):
    SessionLog.objects.create(
        support=support, cohort=cohort, held_on=held_on, duration=Decimal("7"), days=Decimal("1")
    )


def _result(support, axes):
    support.status = SupportStatus.DONE
    support.result = {
        "axes": [
            {"key": key, "name": name, "before": before, "after": after}
            for key, name, before, after in axes
        ]
    }
    support.save()


@pytest.fixture
def case():
    call = collective_call()
    for kind, parameter, label in (
        (PriorityKind.RURAL, "5000", "rurale"),
        (PriorityKind.SECTOR, "culture", "culture"),
        (PriorityKind.DEPARTMENT, "16", "Charente"),
        (PriorityKind.FIRST_APPLICATION, "", "première"),
        (PriorityKind.PRIORITY_AXIS, "securite", "sécurité"),
    ):
        PriorityCriterion.objects.create(
            call=call, kind=kind, parameter=parameter, label=label, weight=1
        )
    angouleme, montbron, confolens, bordeaux = (
        place(k) for k in ("angouleme", "montbron", "confolens", "bordeaux")
    )

    def support(commune, sector, **kwargs):
        organisation = OrganisationFactory(commune=commune, sector=sector)
        return accepted_support(call, commune, organisation=organisation, **kwargs)

    # A: decided at 23:30 UTC on the 10th, the 11th in Paris; its own session on the 16th.
    a = support(angouleme, "culture", scores=(60, 40), status=SupportStatus.RUNNING)
    _dates(a, _at(1, 8), _at(10, 23, 30))
    _session(date(2026, 11, 16), support=a)
    # B: in a cohort whose first session is on the 7th, three days after its decision.
    b = support(montbron, "sport", status=SupportStatus.RUNNING)
    _dates(b, _at(1, 8), _at(4, 8))
    cohort = Cohort.objects.create(call=call, name="Groupe", status=CohortStatus.RUNNING)
    b.cohort = cohort
    b.save()
    _session(date(2026, 11, 9), cohort=cohort)
    _session(date(2026, 11, 7), cohort=cohort)
    # C: no session yet; its association applied to another call before.
    c = support(confolens, "culture")
    _dates(c, _at(1, 8), _at(3, 20))
    earlier = accepted_support(
        collective_call(slug="appel-precedent"), confolens, organisation=c.application.organisation
    )
    _dates(earlier, _at(1, 7), _at(2, 7))
    # D: refused after a day and six hours: a decision, no support.
    d = support(angouleme, "sport")
    _dates(d, _at(1, 8), _at(2, 14))
    Application.objects.filter(pk=d.application_id).update(status=ApplicationStatus.REFUSED)
    d.delete()
    # Two completed supports measured again; « outils » has one after-score only.
    for before, outils_after in ((20, 55), (31, None)):
        done = support(bordeaux, "sport", scores=(before, 40))
        _dates(done, _at(1, 8), _at(1, 8))
        _result(
            done,
            [
                ("securite", "Sécurité", before, before + 25 - (before == 31) * 6),
                ("outils", "Outils collaboratifs", 40, outils_after),
                ("usages", "Usages", 10, 20),
            ],
        )
    return call


def test_delays_are_counted_by_hand(case):
    board = dashboard(case)
    # Decisions: 9 d 15 h 30, 3 d, 2 d 12 h, 1 d 6 h and 0 twice: 16.40 days over 6.
    assert board.decisions_counted == 6
    assert board.days_to_decision == 2.7
    # First sessions: A 5 days (the 11th in Paris, not the 10th), B 3 days (its cohort's).
    assert board.first_sessions_counted == 2
    assert board.days_to_first_session == 4.0


def test_counts_by_department_sector_and_priority(case):
    board = dashboard(case)
    assert {c.label: c.count for c in board.supports_by_department} == {
        "16 — Charente": 3,
        "33 — Gironde": 2,
    }
    assert {c.label: c.count for c in board.supports_by_sector} == {
        "Culture et patrimoine": 2,
        "Sport": 3,
    }
    assert {c.label: c.count for c in board.supports_by_priority} == {
        "rurale": 2,  # Montbron and Confolens
        "culture": 2,
        "Charente": 3,
        "première": 4,  # C's association applied before
        "sécurité": 4,  # A scored 60 on it
    }


def test_progress_per_axis_hides_small_counts(case, settings):
    settings.FUND_IMPACT_MIN_COUNT = 2
    progress = {f.key: f for f in dashboard(case).progress}
    assert [f.name for f in dashboard(case).progress] == [
        "Outils collaboratifs",
        "Sécurité",
        "Usages",
    ]
    securite = progress["securite"]
    assert (securite.count, securite.before, securite.after) == (2, 25.5, 47.5)
    assert securite.progress == 22.0
    outils = progress["outils"]
    assert outils.count == 1 and not outils.shown and outils.before is None
    assert (progress["usages"].before, progress["usages"].after) == (10.0, 20.0)
    rows = {r["axe"]: r for r in impact_records()}
    assert rows["securite"]["score_moyen_avant"] == 25.5
    assert rows["securite"]["accompagnements_termines"] == 2
    assert rows["outils"]["accompagnements_termines"] is None
