"""Part 2: the support opened by the acceptance, matching, offers (first wins), expiry,
cancelling, assigning by hand, a reopened decision."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from ressourcerie.fund.errors import FundError
from ressourcerie.fund.models import (
    ApplicationStatus,
    CheckStatus,
    Cohort,
    CohortStatus,
    OfferStatus,
    SupportStatus,
)
from ressourcerie.fund.selectors import support as selectors
from ressourcerie.fund.selectors import support_matching
from ressourcerie.fund.services import support_offers as offers
from ressourcerie.fund.services import support_sessions
from ressourcerie.fund.services.applications import transition_application
from tests.fund import support_setup

pytestmark = pytest.mark.django_db
S = SupportStatus


@pytest.fixture
def world():
    return support_setup.accepted_world()


def _token(offer):
    return selectors.offer_secret(offer)


def test_acceptance_opens_the_support_with_days_and_actions(world):
    support = world["support"]
    assert support.status == S.TO_ASSIGN
    assert support.days_granted == Decimal("4")
    assert support.action_keys == world["application"].action_keys
    assert support.transitions.get().to_status == S.TO_ASSIGN


def test_candidates_are_near_active_providers_on_the_theme_with_days_left(world):
    found = support_matching.candidates(world["support"])
    names = [c.organisation.name for c in found]
    assert names == ["Numérique Solidaire", "Coop Asso"]  # nearest first, the far one out
    assert found[0].distance_km < found[1].distance_km < world["call"].support_radius_km
    assert found[0].themes and found[0].days_left == Decimal("10")
    assert "Petitbourg" in found[0].why


def test_inactive_or_full_providers_are_not_candidates(world):
    near = world["actors"]["near"][0]
    near.fund_provider.is_active = False
    near.fund_provider.save()
    second = world["actors"]["second"][0]
    second.fund_provider.days_per_quarter = Decimal("2")  # fewer than the 4 days granted
    second.fund_provider.save()
    assert support_matching.candidates(world["support"]) == []


def test_first_to_accept_wins_and_the_other_is_told_it_is_taken(
    world, django_capture_on_commit_callbacks
):
    support, staff = world["support"], world["staff"]
    (near, near_editor), (second, second_editor) = (
        world["actors"]["near"],
        world["actors"]["second"],
    )
    with django_capture_on_commit_callbacks(execute=True):
        sent = offers.propose(support=support, organisations=[near, second], actor=staff)
    assert len(sent) == 2 and all(len(o.token_hash) == 64 for o in sent)
    support.refresh_from_db()
    assert support.status == S.OFFERED
    link_mails = [m for m in mail.outbox if "/fonds/proposition/" in m.body]
    assert len(link_mails) == 2
    assert _token(sent[0]) in link_mails[0].body + link_mails[1].body
    # Someone not of the actor cannot accept.
    with pytest.raises(FundError, match="connectez-vous"):
        offers.accept(raw_token=_token(sent[0]), user=second_editor)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        offers.accept(raw_token=_token(sent[1]), user=second_editor)
    support.refresh_from_db()
    assert support.status == S.ASSIGNED and support.actor == second
    assert support.starts_on == timezone.localdate()
    sent[0].refresh_from_db()
    assert sent[0].status == OfferStatus.TAKEN
    assert any("déjà attribué" in m.body for m in mail.outbox)
    # The late link changes nothing.
    with pytest.raises(FundError, match="déjà été attribué"):
        offers.accept(raw_token=_token(sent[0]), user=near_editor)
    support.refresh_from_db()
    assert support.actor == second


def test_decline_needs_a_listed_reason_and_asks_the_next_when_none_waits(world):
    support, staff = world["support"], world["staff"]
    (near, near_editor), (second, _e) = world["actors"]["near"], world["actors"]["second"]
    [offer] = offers.propose(support=support, organisations=[near], actor=staff)
    with pytest.raises(FundError, match="motif"):
        offers.decline(raw_token=_token(offer), user=near_editor, reason="bof", comment="")
    with pytest.raises(FundError, match="Précisez"):
        offers.decline(raw_token=_token(offer), user=near_editor, reason="autre", comment="")
    offers.decline(raw_token=_token(offer), user=near_editor, reason="capacite", comment="")
    offer.refresh_from_db()
    assert offer.status == OfferStatus.DECLINED and offer.decline_reason == "capacite"
    # The matching ran again: the next candidate is asked.
    assert list(
        selectors.offers_of(support=support)
        .filter(status="envoyee")
        .values_list("actor", flat=True)
    ) == [second.pk]


def test_expired_offers_go_back_to_the_team(world, django_capture_on_commit_callbacks):
    support, staff = world["support"], world["staff"]
    near, near_editor = world["actors"]["near"]
    [offer] = offers.propose(support=support, organisations=[near], actor=staff)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert offers.expire_offers(now=timezone.now() + timedelta(days=6)) == 1
    offer.refresh_from_db()
    support.refresh_from_db()
    assert offer.status == OfferStatus.EXPIRED
    assert support.status == S.TO_ASSIGN and support.escalated_at is not None
    assert any(staff.email in m.to for m in mail.outbox)
    with pytest.raises(FundError, match="délai"):
        offers.accept(raw_token=_token(offer), user=near_editor)


def test_cancelling_revokes_the_actor_and_proposes_to_the_next(world):
    support, staff = world["support"], world["staff"]
    (near, near_editor), (second, _e) = world["actors"]["near"], world["actors"]["second"]
    [offer] = offers.propose(support=support, organisations=[near], actor=staff)
    offers.accept(raw_token=_token(offer), user=near_editor)
    with pytest.raises(FundError, match="pourquoi"):
        offers.cancel_assignment(support=support, actor=staff, reason=" ")
    new = offers.cancel_assignment(support=support, actor=staff, reason="L'acteur est indisponible")
    support.refresh_from_db()
    offer.refresh_from_db()
    assert offer.status == OfferStatus.REVOKED
    assert support.actor is None and support.status == S.OFFERED
    assert [o.actor for o in new] == [second]
    with pytest.raises(FundError, match="retiré"):
        offers.accept(raw_token=_token(offer), user=near_editor)


def test_assign_by_hand_only_to_an_approved_provider_by_the_team(world):
    support, staff = world["support"], world["staff"]
    far, far_editor = world["actors"]["far"]
    with pytest.raises(FundError):
        offers.assign_by_hand(support=support, organisation=far, actor=far_editor)
    offers.assign_by_hand(support=support, organisation=far, actor=staff)
    support.refresh_from_db()
    assert support.status == S.ASSIGNED and support.actor == far


def test_a_reopened_decision_drops_the_unstarted_support_and_a_new_acceptance_revives_it(world):
    application, staff, support = world["application"], world["staff"], world["support"]
    near, _e = world["actors"]["near"]
    [offer] = offers.propose(support=support, organisations=[near], actor=staff)
    transition_application(
        application=application,
        to_status=ApplicationStatus.IN_REVIEW,
        actor=staff,
        reason="Erreur de budget",
    )
    support.refresh_from_db()
    offer.refresh_from_db()
    assert support.status == S.DROPPED and "Erreur de budget" in support.drop_reason
    assert offer.status == OfferStatus.REVOKED
    transition_application(
        application=application, to_status=ApplicationStatus.ACCEPTED, actor=staff, days_granted=3
    )
    support.refresh_from_db()
    # Accepted again, the support is proposed by the matching to those not asked yet.
    assert support.status == S.OFFERED and support.days_granted == Decimal("3")
    second, _s = world["actors"]["second"]
    assert {o.actor for o in support.offers.filter(status=OfferStatus.SENT)} == {second}


def test_matching_reads_a_few_queries_whatever_the_number_of_providers(
    world, django_assert_max_num_queries
):
    code = world["code"]
    for n in range(30):
        support_setup.provider(
            f"Acteur {n}", latitude=47.2 + n / 1000, longitude=-1.6, codes=[code]
        )
    support = selectors.support_by_reference(world["application"].reference)
    with django_assert_max_num_queries(7):
        found = support_matching.candidates(support)
    assert len(found) == 32


def test_a_cohort_is_offered_accepted_and_its_sessions_reach_every_member(
    world, django_capture_on_commit_callbacks
):
    support, staff = world["support"], world["staff"]
    near, near_editor = world["actors"]["near"]
    cohort = Cohort.objects.create(
        call=world["call"],
        name="Groupe du bocage",
        status=CohortStatus.TO_ASSIGN,
        action_keys=support.action_keys,
        days_planned=Decimal("2"),
    )
    support.cohort = cohort
    support.save(update_fields=["cohort"])
    [offer] = offers.propose(cohort=cohort, organisations=[near], actor=staff)
    cohort.refresh_from_db()
    support.refresh_from_db()
    assert cohort.status == CohortStatus.OFFERED and support.status == S.OFFERED
    offers.accept(raw_token=_token(offer), user=near_editor)
    cohort.refresh_from_db()
    support.refresh_from_db()
    assert cohort.actor == near and support.actor == near and support.status == S.ASSIGNED
    session = support_sessions.log_session(
        cohort=cohort,
        held_on=timezone.localdate(),
        duration="1",
        unit="demi_journees",
        action_keys=support.action_keys,
        actor=near_editor,
    )
    cohort.refresh_from_db()
    support.refresh_from_db()
    assert cohort.status == CohortStatus.RUNNING and support.status == S.RUNNING
    assert session.checks.get().support == support
    assert session.checks.get().status == CheckStatus.PENDING
    assert selectors.days_used(support).consumed == Decimal("0.50")
