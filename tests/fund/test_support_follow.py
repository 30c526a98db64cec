"""Part 2 follow-up: sessions (refusals in French, first session starts it), the
association's check, the grant, the report and satisfaction; the pages of each role."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from ressourcerie.fund import personal_data
from ressourcerie.fund.errors import FundError
from ressourcerie.fund.models import CheckStatus, SupportStatus
from ressourcerie.fund.selectors import support as selectors
from ressourcerie.fund.services import support as services
from ressourcerie.fund.services import support_offers as offers
from ressourcerie.fund.services import support_sessions as sessions
from tests.fund import instruction_setup, support_setup

pytestmark = pytest.mark.django_db
S = SupportStatus


@pytest.fixture
def world():
    world = support_setup.accepted_world()
    near, editor = world["actors"]["near"]
    [offer] = offers.propose(support=world["support"], organisations=[near], actor=world["staff"])
    offers.accept(raw_token=selectors.offer_secret(offer), user=editor)
    world["offer"] = offer
    world["support"].refresh_from_db()
    world["editor"] = editor
    return world


def _log(world, *, days_ago=0, duration="3", unit="heures", actor=None):
    support = world["support"]
    return sessions.log_session(
        support=support,
        held_on=timezone.localdate() - timedelta(days=days_ago),
        duration=duration,
        unit=unit,
        action_keys=support.action_keys,
        attendees="Marie, trésorière",
        note="Mise en place de l'espace partagé",
        actor=actor or world["editor"],
    )


def test_first_session_starts_the_support_and_counts_days(world):
    session = _log(world, duration="2", unit="demi_journees")
    support = world["support"]
    support.refresh_from_db()
    assert support.status == S.RUNNING
    assert session.days == Decimal("1.00")
    assert selectors.days_used(support).consumed == Decimal("1.00")
    assert session.checks.get().status == CheckStatus.PENDING


def test_sessions_refused_in_the_future_before_start_beyond_grant_or_by_others(world):
    support = world["support"]
    with pytest.raises(FundError, match="futur"):
        _log(world, days_ago=-1)
    support.starts_on = timezone.localdate() - timedelta(days=2)
    support.save()
    with pytest.raises(FundError, match="avant le début"):
        _log(world, days_ago=3)
    with pytest.raises(FundError, match="dépasserait"):
        _log(world, duration="9", unit="demi_journees")  # 4.5 days > 4 granted
    other_editor = world["actors"]["second"][1]
    with pytest.raises(FundError, match="Seul l'acteur attribué"):
        _log(world, actor=other_editor)
    with pytest.raises(FundError, match="durée"):
        _log(world, duration="beaucoup")
    assert support.sessions.count() == 0


def test_the_team_raises_the_grant_with_a_reason_then_the_session_fits(world):
    support, staff = world["support"], world["staff"]
    with pytest.raises(FundError, match="pourquoi"):
        services.change_grant(support=support, days="5", reason="", actor=staff)
    with pytest.raises(FundError, match="équipe"):
        services.change_grant(support=support, days="5", reason="Besoin", actor=world["editor"])
    services.change_grant(support=support, days="5", reason="Un besoin RGPD en plus", actor=staff)
    _log(world, duration="9", unit="demi_journees")
    support.refresh_from_db()
    assert support.days_granted == Decimal("5")
    assert support.grant_changes.get().days_before == Decimal("4")


def test_the_association_confirms_or_contests_and_gives_satisfaction_once_done(world):
    session = _log(world)
    support, member = world["support"], world["member"]
    with pytest.raises(FundError, match="Dites"):
        sessions.check_session(
            session=session, support=support, confirmed=False, comment="", actor=member
        )
    with pytest.raises(FundError, match="membres"):
        sessions.check_session(
            session=session, support=support, confirmed=True, comment="", actor=world["editor"]
        )
    check = sessions.check_session(
        session=session, support=support, confirmed=False, comment="Elle a duré 2 h", actor=member
    )
    assert check.status == CheckStatus.CONTESTED
    with pytest.raises(FundError, match="une fois"):
        services.give_satisfaction(support=support, score=5, comment="", actor=member)
    with pytest.raises(FundError, match="bilan"):
        services.close_support(support=support, report="", actor=world["editor"])
    services.close_support(
        support=support, report="Espace partagé en place.", actor=world["editor"]
    )
    with pytest.raises(FundError, match="1 à 5"):
        services.give_satisfaction(support=support, score=9, comment="", actor=member)
    services.give_satisfaction(support=support, score=4, comment="Très utile", actor=member)
    support.refresh_from_db()
    assert support.status == S.DONE and support.satisfaction == 4


def test_pages_by_role(client, world):
    support = world["support"]
    reference = support.application.reference
    association_url = reverse("fund:support_association", args=[reference])
    actor_url = reverse("fund:support_actor", args=[reference])
    staff_url = reverse("fund:staff_support", args=[reference])
    reviewer = instruction_setup.reviewer()
    second_editor = world["actors"]["second"][1]
    cases = [
        (world["member"], {association_url: 200, actor_url: 404, staff_url: 403}),
        (world["editor"], {association_url: 404, actor_url: 200, staff_url: 403}),
        (second_editor, {association_url: 404, actor_url: 404, staff_url: 403}),
        (reviewer, {association_url: 404, actor_url: 404, staff_url: 403}),
        (world["staff"], {association_url: 200, actor_url: 404, staff_url: 200}),
    ]
    for user, expected in cases:
        client.force_login(user)
        for url, status in expected.items():
            assert client.get(url).status_code == status, (user, url)
    # The actor sees the plan and the contact; after revocation, nothing.
    client.force_login(world["editor"])
    page = client.get(actor_url).content.decode()
    assert "Contact de l'association" in page and world["member"].email in page
    offers.cancel_assignment(support=support, actor=world["staff"], reason="Changement d'acteur")
    assert client.get(actor_url).status_code == 404


def test_logging_a_session_from_the_page_keeps_the_input_on_refusal(client, world):
    support = world["support"]
    client.force_login(world["editor"])
    url = reverse("fund:support_actor", args=[support.application.reference])
    data = {
        "held_on": (timezone.localdate() + timedelta(days=3)).isoformat(),
        "duration": "3",
        "unit": "heures",
        "action_keys": support.action_keys,
        "attendees": "Paul",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert "futur" in response.content.decode() and 'value="Paul"' in response.content.decode()
    data["held_on"] = timezone.localdate().isoformat()
    assert client.post(url, data).status_code == 302
    assert support.sessions.count() == 1


def test_the_offer_page_says_when_it_no_longer_serves(client, world):
    url = reverse("fund:offer", args=[selectors.offer_secret(world["offer"])])
    offers.cancel_assignment(support=world["support"], actor=world["staff"], reason="Changement")
    client.force_login(world["editor"])
    response = client.post(url, {"accept": "1"})
    assert response.status_code == 410
    assert "retiré" in response.content.decode()
    assert (
        response["Cache-Control"].startswith("max-age=0") or "no-store" in response["Cache-Control"]
    )


def test_personal_data_exports_the_sessions_and_erasure_keeps_them_detached(world):

    session = _log(world)
    exported = personal_data.export(world["editor"])
    assert exported["seances_enregistrees"][0]["participants"] == "Marie, trésorière"
    assert exported["propositions_repondues"][0]["structure"] == "Numérique Solidaire"
    world["editor"].delete()
    session.refresh_from_db()
    assert session.logged_by is None and session.note


def test_the_team_page_changes_the_grant_and_refuses_bad_input_keeping_it(client, world):
    support, staff = world["support"], world["staff"]
    client.force_login(staff)
    url = reverse("fund:staff_support", args=[support.application.reference])
    response = client.post(url, {"action": "grant", "days": "abc", "reason": "Besoin"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Indiquez un nombre de jours" in page and 'value="abc"' in page
    assert (
        client.post(url, {"action": "grant", "days": "6,5", "reason": "Besoin"}).status_code == 302
    )
    support.refresh_from_db()
    assert support.days_granted == Decimal("6.5")
    response = client.post(url, {"action": "cancel"})
    assert response.status_code == 400  # the reason is required
    support.refresh_from_db()
    assert support.actor is not None
