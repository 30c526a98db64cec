"""Collective support: the platform's suggested cohorts (shared plan actions, place, size)
and the team's confirm, edit and drop, with French refusals."""

import pytest

from ressourcerie.fund.errors import FundError
from ressourcerie.fund.models import CohortStatus, CohortTransition, SupportFormat, SupportStatus
from ressourcerie.fund.selectors import support_cohorts as selectors
from ressourcerie.fund.services import support_cohorts as services
from ressourcerie.fund.services.support import transition_cohort
from tests.factories import UserFactory

from .support_team_setup import accepted_support, collective_call, place

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return UserFactory(is_staff=True, is_superuser=True)


def test_two_rural_neighbours_sharing_an_action_are_one_suggestion_with_why():
    call = collective_call(cohort_min=2, cohort_max=4)
    a = accepted_support(call, place("montbron"), keys=("sauvegarde", "site"))
    b = accepted_support(call, place("confolens"), keys=("sauvegarde",))
    # Individual support, another action, or far away in another department: left out.
    accepted_support(call, place("ruelle"), keys=("sauvegarde",), fmt=SupportFormat.INDIVIDUAL)
    accepted_support(call, place("ruelle"), keys=("mots-de-passe",))
    accepted_support(call, place("bordeaux"), keys=("sauvegarde",))
    [suggestion] = selectors.suggest(call)
    assert {m.support.pk for m in suggestion.members} == {a.pk, b.pk}
    assert suggestion.action_keys == ["sauvegarde"]
    reasons = {m.support.pk: m.reason for m in suggestion.members}
    assert "Partage les actions « Mettre en place une sauvegarde »" in reasons[b.pk]
    assert "même département (Charente)" in reasons[b.pk]
    assert "km de Montbron" in reasons[b.pk]
    assert "Charente" in suggestion.name


def test_neighbours_across_a_department_line_join_within_the_radius_only():
    call = collective_call(cohort_min=2, radius=60)
    a = accepted_support(call, place("angouleme"))
    b = accepted_support(call, place("coutras"))  # Gironde, about 75 km away
    assert selectors.suggest(call) == []
    call.support_radius_km = 100
    call.save()
    [suggestion] = selectors.suggest(call)
    assert {m.support.pk for m in suggestion.members} == {a.pk, b.pk}
    reason = next(m.reason for m in suggestion.members if m.support.pk == b.pk)
    assert "km d" in reason and "Angoulême" in reason and "même département" not in reason


def test_sizes_stay_within_the_call_bounds():
    call = collective_call(cohort_min=3, cohort_max=4)
    for _ in range(2):
        accepted_support(call, place("angouleme"))
    assert selectors.suggest(call) == []  # two are under the minimum of three
    for _ in range(4):
        accepted_support(call, place("ruelle"))
    suggestions = selectors.suggest(call)
    assert [s.size for s in suggestions] == [4]  # six: one of four; two left under three
    assert len({m.support.pk for s in suggestions for m in s.members}) == 4


def test_confirm_creates_the_cohort_with_history_and_members_reasons(team):
    call = collective_call()
    a = accepted_support(call, place("montbron"))
    b = accepted_support(call, place("confolens"))
    [suggestion] = selectors.suggest(call)
    cohort = services.confirm_suggestion(call=call, key=suggestion.key, actor=team)
    assert cohort.status == CohortStatus.TO_ASSIGN
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.cohort == b.cohort == cohort
    assert a.cohort_reason.startswith("Partage les actions")
    assert list(
        CohortTransition.objects.filter(cohort=cohort).values_list("from_status", "to_status")
    ) == [(CohortStatus.SUGGESTED, CohortStatus.TO_ASSIGN)]
    # In a cohort: no longer suggested; a stale key is refused in French.
    assert selectors.suggest(call) == []
    with pytest.raises(FundError, match="plus d'actualité"):
        services.confirm_suggestion(call=call, key=suggestion.key, actor=team)


def test_only_the_team_confirms():
    call = collective_call()
    accepted_support(call, place("montbron"))
    accepted_support(call, place("confolens"))
    [suggestion] = selectors.suggest(call)
    with pytest.raises(FundError, match="équipe"):
        services.confirm_suggestion(call=call, key=suggestion.key, actor=UserFactory())


def test_editing_refuses_a_size_out_of_bounds_and_keeps_the_members(team):
    call = collective_call(cohort_min=2, cohort_max=3)
    a = accepted_support(call, place("montbron"))
    b = accepted_support(call, place("confolens"))
    [suggestion] = selectors.suggest(call)
    cohort = services.confirm_suggestion(call=call, key=suggestion.key, actor=team)
    with pytest.raises(FundError, match="compterait 1 association : l'appel"):
        services.remove_member(cohort=cohort, support_id=a.pk, actor=team)
    c = accepted_support(call, place("bordeaux"), keys=("site",))
    services.add_member(cohort=cohort, support_id=c.pk, actor=team)
    d = accepted_support(call, place("bordeaux"))
    with pytest.raises(FundError, match="compterait 4 associations"):
        services.add_member(cohort=cohort, support_id=d.pk, actor=team)
    # Not collective, or of another call: refused.
    other = accepted_support(call, place("ruelle"), fmt=SupportFormat.INDIVIDUAL)
    services.remove_member(cohort=cohort, support_id=c.pk, actor=team)
    with pytest.raises(FundError, match="ne peut pas rejoindre"):
        services.add_member(cohort=cohort, support_id=other.pk, actor=team)
    assert set(cohort.supports.values_list("pk", flat=True)) == {a.pk, b.pk}


def test_drop_needs_a_reason_and_frees_the_members(team):
    call = collective_call()
    a = accepted_support(call, place("montbron"))
    accepted_support(call, place("confolens"))
    [suggestion] = selectors.suggest(call)
    cohort = services.confirm_suggestion(call=call, key=suggestion.key, actor=team)
    with pytest.raises(FundError, match="pourquoi"):
        services.drop(cohort=cohort, actor=team, reason="")
    services.drop(cohort=cohort, actor=team, reason="Trop tôt.")
    a.refresh_from_db()
    assert a.cohort is None and a.cohort_reason == ""
    assert len(selectors.suggest(call)) == 1


def test_members_are_edited_before_the_offer_only_and_a_late_drop_takes_the_supports(team):
    call = collective_call()
    a = accepted_support(call, place("montbron"))
    accepted_support(call, place("confolens"))
    [suggestion] = selectors.suggest(call)
    cohort = services.confirm_suggestion(call=call, key=suggestion.key, actor=team)
    transition_cohort(cohort=cohort, target=CohortStatus.OFFERED, actor=team)
    with pytest.raises(FundError, match="avant sa proposition"):
        services.remove_member(cohort=cohort, support_id=a.pk, actor=team)
    with pytest.raises(FundError, match="équipe"):
        services.drop(cohort=cohort, actor=UserFactory(), reason="x")
    services.drop(cohort=cohort, actor=team, reason="Plus de budget.")
    a.refresh_from_db()
    assert a.cohort == cohort and a.status == SupportStatus.DROPPED


def test_supports_taken_by_an_actor_are_not_suggested():
    call = collective_call()
    accepted_support(call, place("montbron"))
    accepted_support(call, place("confolens"), status=SupportStatus.ASSIGNED)
    assert selectors.suggest(call) == []
