"""« Mon plan d'action » (#14 item 4): the plan of an association's latest diagnostic is kept,
its members share it and mark its actions without JavaScript, outsiders get 404, and the next
diagnostic shows what moved."""

from datetime import timedelta
from html import unescape

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.utils import timezone

from ressourcerie.core.roles import Role
from ressourcerie.diagnostic import engine, selectors, services
from ressourcerie.diagnostic.models import PlanAction, PlanActionTransition, PlanStatus
from tests.factories import MembershipFactory, OrganisationFactory, StaffFactory, UserFactory

from .conftest import complete_via_client


@pytest.fixture
def association(db):
    return OrganisationFactory(name="Les Amis du Jardin")


def member_of(association, email):
    user = UserFactory(email=email, display_name=email.split("@")[0].capitalize())
    MembershipFactory(user=user, organisation=association, role=Role.MEMBER)
    client = Client()
    client.force_login(user)
    return user, client


def take(client, questionnaire, association, choose):
    response = client.post("/autodiagnostic/commencer/", {"organisation": association.pk})
    assert response.status_code == 302, response.content.decode()[:2000]
    complete_via_client(client, engine.build_structure(questionnaire), choose=choose)


def text(client, url):
    return unescape(client.get(url).content.decode())


def flashes(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_completing_for_an_association_keeps_its_ranked_plan(seeded, association):
    _alice, client = member_of(association, "alice@example.org")
    take(client, seeded, association, "last")

    kept = selectors.association_plan(association)
    assert 1 <= len(kept) <= 10
    assert [a.rank for a in kept] == list(range(1, len(kept) + 1))
    assert [a.starter for a in kept[:3]] == [True] * min(3, len(kept))
    assert not any(a.starter for a in kept[3:])
    assert {a.status for a in kept} == {PlanStatus.TODO}
    assert all(a.title and a.axis_name and a.status_label == "À faire" for a in kept)
    # The same actions, in the same order, as the results page's plan.
    results = text(client, "/autodiagnostic/resultats/")
    positions = [results.index(a.title) for a in kept]
    assert positions == sorted(positions)
    assert "Mon plan d'action" in results


def test_a_diagnostic_without_association_keeps_no_plan(seeded):
    client = Client()
    client.force_login(UserFactory())
    client.post("/autodiagnostic/commencer/", {})
    complete_via_client(client, engine.build_structure(seeded), choose="last")
    assert not PlanAction.objects.exists()


def test_another_member_marks_an_action_done_with_date_who_and_history(seeded, association):
    _alice, alice = member_of(association, "alice@example.org")
    bob_user, bob = member_of(association, "bob@example.org")
    take(alice, seeded, association, "last")
    first = selectors.association_plan(association)[0]

    page = text(bob, "/autodiagnostic/mon-plan/")
    assert first.title in page and "Les Amis du Jardin" in page

    response = bob.post(f"/autodiagnostic/mon-plan/actions/{first.id}/", {"status": "done"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"/autodiagnostic/mon-plan/#action-{first.id}")
    assert flashes(response) == [f"« {first.title} » : fait."]

    row = PlanAction.objects.get(pk=first.id)
    assert row.status == PlanStatus.DONE and row.status_changed_by == bob_user
    assert abs(row.status_changed_at - timezone.now()) < timedelta(minutes=1)
    history = list(PlanActionTransition.objects.filter(action=row))
    assert [(h.from_status, h.to_status, h.actor) for h in history] == [("todo", "done", bob_user)]
    page = text(alice, "/autodiagnostic/mon-plan/")
    assert "par Bob" in page
    assert selectors.association_plan(association)[0].status == PlanStatus.DONE


def test_the_same_status_twice_is_refused_in_french(seeded, association):
    _alice, alice = member_of(association, "alice@example.org")
    take(alice, seeded, association, "last")
    first = selectors.association_plan(association)[0]
    url = f"/autodiagnostic/mon-plan/actions/{first.id}/"
    alice.post(url, {"status": "in_progress"}, follow=True)  # the message is shown
    response = alice.post(url, {"status": "in_progress"}, follow=True)
    assert (
        unescape(response.content.decode()).count(
            "Cette action est « En cours » et ne peut pas passer à « En cours »."
        )
        == 1
    )
    response = alice.post(url, {"status": "zzz"})
    assert flashes(response) == ["État inconnu : « zzz »."]
    assert PlanActionTransition.objects.filter(action_id=first.id).count() == 1


def test_someone_outside_the_association_gets_404_and_changes_nothing(seeded, association):
    _alice, alice = member_of(association, "alice@example.org")
    take(alice, seeded, association, "last")
    first = selectors.association_plan(association)[0]
    _mallory, mallory = member_of(OrganisationFactory(name="Autre"), "mallory@example.org")

    response = mallory.post(f"/autodiagnostic/mon-plan/actions/{first.id}/", {"status": "done"})
    assert response.status_code == 404
    assert PlanAction.objects.get(pk=first.id).status == PlanStatus.TODO
    assert not PlanActionTransition.objects.exists()
    assert first.title not in text(mallory, "/autodiagnostic/mon-plan/")
    with pytest.raises(services.DiagnosticError):
        services.mark_plan_action(
            action=PlanAction.objects.get(pk=first.id),
            status="done",
            actor=UserFactory(email="x@example.org"),
        )


def test_a_person_without_association_is_told_where_the_plan_is(db):
    client = Client()
    client.force_login(UserFactory())
    page = text(client, "/autodiagnostic/mon-plan/")
    assert "membre d'aucune association" in page
    assert Client().get("/autodiagnostic/mon-plan/").status_code == 302


def test_the_next_diagnostic_shows_what_moved_and_keeps_the_statuses(seeded, association):
    _alice, alice = member_of(association, "alice@example.org")
    take(alice, seeded, association, "last")
    kept = selectors.association_plan(association)
    done, dropped = kept[0], kept[-1]
    alice.post(f"/autodiagnostic/mon-plan/actions/{done.id}/", {"status": "done"})

    # The next diagnostic, strong everywhere: nothing left to do.
    alice.post("/autodiagnostic/refaire/")
    complete_via_client(alice, engine.build_structure(seeded), choose="first")
    page = text(alice, "/autodiagnostic/resultats/")
    assert "Ce qui a bougé depuis le diagnostic du" in page
    moved = page[page.index("Ce qui a bougé") :]
    assert done.title in moved and "faite le" in moved
    assert "ont changé" in moved and "colonne « Évolution »" in moved

    row = PlanAction.objects.get(pk=done.id)
    assert row.status == PlanStatus.DONE  # kept with its status and history
    assert not PlanAction.objects.filter(pk=dropped.id).exists()  # never marked: gone
    assert [a.key for a in selectors.association_plan(association)] == [
        a.key for a in PlanAction.objects.filter(organisation=association, current=True)
    ]
    earlier = text(alice, "/autodiagnostic/mon-plan/")
    assert "Actions des plans précédents" in earlier and done.title in earlier


def test_retaking_keeps_the_status_of_actions_proposed_again(seeded, association):
    _alice, alice = member_of(association, "alice@example.org")
    take(alice, seeded, association, "last")
    first = selectors.association_plan(association)[0]
    alice.post(f"/autodiagnostic/mon-plan/actions/{first.id}/", {"status": "in_progress"})
    take(alice, seeded, association, "last")
    again = {a.key: a for a in selectors.association_plan(association)}
    assert again[first.key].status == PlanStatus.IN_PROGRESS
    assert again[first.key].response_id != first.response_id


def test_an_older_diagnostic_completed_again_does_not_replace_the_kept_plan(seeded, association):
    _alice, alice = member_of(association, "alice@example.org")
    take(alice, seeded, association, "last")
    older = selectors.latest_completed_for_organisation(association)
    take(alice, seeded, association, "first")
    before = [(a.key, a.response_id) for a in selectors.association_plan(association)]
    structure = engine.build_structure(seeded)
    services.complete_response(response=older, structure=structure)
    assert [(a.key, a.response_id) for a in selectors.association_plan(association)] == before


def test_the_staff_dashboard_shows_frequent_actions_by_department_and_how_often_done(
    seeded, association
):
    _alice, alice = member_of(association, "alice@example.org")
    take(alice, seeded, association, "last")
    other = OrganisationFactory(name="Le Club")
    _bob, bob = member_of(other, "bob@example.org")
    take(bob, seeded, other, "last")
    first = selectors.association_plan(association)[0]
    alice.post(f"/autodiagnostic/mon-plan/actions/{first.id}/", {"status": "done"})

    groups = selectors.frequent_actions_by_department()
    rows = {row["key"]: row for group in groups for row in group["actions"]}
    assert rows[first.key]["n"] == 2 and rows[first.key]["done"] == 1
    assert rows[first.key]["done_percent"] == 50
    assert all(len(group["actions"]) <= 5 for group in groups)

    staff = Client()
    staff.force_login(StaffFactory())
    page = text(staff, "/gestion/autodiagnostic/")
    assert "Actions de plan les plus fréquentes, par département" in page
    assert first.title in page and "1 (50 %)" in page
