"""Part 2 (#16 item 2): the matching runs by itself when an individual support opens — the
committee's acceptance proposes it to the first candidates (e-mail with the private link),
and when nobody matches the team is alerted to assign by hand."""

import pytest
from django.core import mail

from ressourcerie.fund.models import ApplicationStatus, OfferStatus, SupportFormat, SupportStatus
from ressourcerie.fund.services import support_offers as offers
from ressourcerie.fund.services.applications import transition_application
from tests.fund.support_setup import dossier_in_review, provider

pytestmark = pytest.mark.django_db
A = ApplicationStatus


@pytest.fixture
def dossier():
    """A dossier under review of a rural association, its plan action themed."""
    return dossier_in_review()


def _accept(dossier):
    return transition_application(
        application=dossier["application"],
        to_status=A.ACCEPTED,
        actor=dossier["staff"],
        days_granted=4,
    ).support


def test_acceptance_proposes_the_support_to_the_nearest_candidates(
    dossier, django_capture_on_commit_callbacks
):
    code = dossier["code"]
    near, near_editor = provider(
        "Numérique Solidaire", latitude=47.25, longitude=-1.55, codes=[code]
    )
    second, second_editor = provider("Coop Asso", latitude=47.3, longitude=-1.5, codes=[code])
    provider("Loin d'ici", latitude=43.6, longitude=1.44, codes=[code])
    with django_capture_on_commit_callbacks(execute=True):
        support = _accept(dossier)
    support.refresh_from_db()
    assert support.status == SupportStatus.OFFERED and support.escalated_at is None
    sent = support.offers.filter(status=OfferStatus.SENT)
    assert {o.actor for o in sent} == {near, second}
    # The platform made the move (no person in the history), and each actor got its link.
    move = support.transitions.get(to_status=SupportStatus.OFFERED)
    assert move.actor is None
    for editor in (near_editor, second_editor):
        assert any(editor.email in m.to and "/fonds/proposition/" in m.body for m in mail.outbox)


def test_nobody_matching_alerts_the_team_and_leaves_it_to_assign(
    dossier, django_capture_on_commit_callbacks
):
    provider("Loin d'ici", latitude=43.6, longitude=1.44, codes=[dossier["code"]])
    with django_capture_on_commit_callbacks(execute=True):
        support = _accept(dossier)
    support.refresh_from_db()
    assert support.status == SupportStatus.TO_ASSIGN and support.escalated_at is not None
    assert not support.offers.exists()
    [alert] = [m for m in mail.outbox if "aucun acteur" in m.subject]
    assert dossier["staff"].email in alert.to
    assert support.application.reference in alert.body and "à la main" in alert.body


def test_a_collective_support_waits_for_its_cohort(dossier):
    provider("Numérique Solidaire", latitude=47.25, longitude=-1.55, codes=[dossier["code"]])
    application = dossier["application"]
    application.support_format = SupportFormat.COLLECTIVE
    application.save(update_fields=["support_format"])
    support = _accept(dossier)
    support.refresh_from_db()
    assert support.status == SupportStatus.TO_ASSIGN and not support.offers.exists()
    assert support.escalated_at is None


def test_the_matching_does_not_run_twice_on_a_support_already_proposed(dossier):
    provider("Numérique Solidaire", latitude=47.25, longitude=-1.55, codes=[dossier["code"]])
    support = _accept(dossier)
    assert offers.match_opened(support=support) == []
    assert support.offers.count() == 1
