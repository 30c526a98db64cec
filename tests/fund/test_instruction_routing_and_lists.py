"""Routing to the department's group, the team's list with its filters and counts, the
reviewer's list without conflicts, and the team reassigning a group."""

import pytest
from django.urls import reverse

from ressourcerie.fund.models import ApplicationStatus, Label
from ressourcerie.fund.selectors import instruction as selectors
from ressourcerie.fund.services.applications import transition_application
from tests.factories import StaffFactory
from tests.fund import instruction_setup as setup

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    loire = setup.department()
    other = setup.department("49", "Maine-et-Loire")
    village = setup.commune(loire, insee="44001", name="Petitbourg", population=900)
    city = setup.commune(loire, insee="44109", name="Nantes", population=320000)
    angers = setup.commune(other, insee="49007", name="Angers", population=150000)
    group = setup.group_for_department(loire)
    default = setup.group_for_department(other, name="Groupe Maine-et-Loire")
    call = setup.make_call(departments=[loire, other])
    dossiers = {}
    for name, place in (("Alpha", village), ("Bravo", city), ("Charlie", angers)):
        organisation, member = setup.applicant(name, place)
        dossiers[name] = (setup.submit(call, organisation, member), member)
    return {"call": call, "group": group, "other_group": default, "dossiers": dossiers}


def test_submission_routes_each_dossier_to_its_department_group(world):
    alpha, _m = world["dossiers"]["Alpha"]
    charlie, _m = world["dossiers"]["Charlie"]
    assert alpha.group == world["group"]
    assert charlie.group == world["other_group"]
    # The rural priority is met by the village only.
    assert alpha.priority_points == 3
    assert world["dossiers"]["Bravo"][0].priority_points == 0


def test_staff_list_filters_by_department_and_label_and_counts(client, world):
    alpha, _m = world["dossiers"]["Alpha"]
    alpha.labels.add(Label.objects.create(name="pièce manquante"))
    client.force_login(StaffFactory())
    response = client.get(reverse("fund:staff_applications"), {"department": "44"})
    body = response.content.decode()
    assert response.status_code == 200
    assert alpha.reference in body and world["dossiers"]["Charlie"][0].reference not in body
    label = Label.objects.get()
    response = client.get(reverse("fund:staff_applications"), {"label": label.pk})
    assert response.context["page_obj"].paginator.count == 1
    counts = {v: n for v, _l, n in response.context["counts"]}
    assert counts[ApplicationStatus.SUBMITTED] == 1


def test_staff_list_counts_the_chosen_state_and_shows_the_filters_chosen(client, world):
    staff = StaffFactory()
    alpha, _m = world["dossiers"]["Alpha"]
    transition_application(application=alpha, to_status=ApplicationStatus.IN_REVIEW, actor=staff)
    client.force_login(staff)
    url = reverse("fund:staff_applications")
    assert client.get(url).context["page_obj"].paginator.count == 3
    call = world["call"]
    response = client.get(url, {"call": call.pk, "status": ApplicationStatus.IN_REVIEW})
    body = response.content.decode()
    # The total comes from the counts by state: the chosen state's, not all of them.
    assert response.context["page_obj"].paginator.count == 1
    assert alpha.reference in body and world["dossiers"]["Bravo"][0].reference not in body
    assert f'<option value="{call.pk}" selected>{call.title}</option>' in body
    assert '<option value="en_instruction" selected>' in body
    # A filter naming what does not exist is ignored, never a server error.
    response = client.get(url, {"call": "999999", "label": "x"})
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == 3


def test_staff_list_refuses_reviewers_and_members(client, world):
    client.force_login(setup.reviewer(world["group"]))
    assert client.get(reverse("fund:staff_applications")).status_code == 403
    client.force_login(world["dossiers"]["Alpha"][1])
    assert client.get(reverse("fund:staff_applications")).status_code == 403


def test_reviewer_home_lists_the_group_dossiers_without_conflicts(client, world):
    alpha, alpha_member = world["dossiers"]["Alpha"]
    bravo, _m = world["dossiers"]["Bravo"]
    # A reviewer who is also a member of Alpha: only Bravo is theirs to score.
    alpha_member_reviewer = setup.reviewer(world["group"])
    alpha.organisation.memberships.create(user=alpha_member_reviewer, role="member")
    refs = [a.reference for a in selectors.reviewer_applications(alpha_member_reviewer)]
    assert refs == [bravo.reference]
    client.force_login(alpha_member_reviewer)
    body = client.get(reverse("fund:reviewer_home")).content.decode()
    assert bravo.reference in body and alpha.reference not in body
    assert world["dossiers"]["Charlie"][0].reference not in body


def test_staff_reassign_the_group(client, world):
    alpha, _m = world["dossiers"]["Alpha"]
    client.force_login(StaffFactory())
    response = client.post(
        reverse("fund:instruction", args=[alpha.reference]),
        {"action": "group", "group": world["other_group"].pk},
    )
    assert response.status_code == 302
    alpha.refresh_from_db()
    assert alpha.group == world["other_group"]
