"""Item 7 of #15, the instruction side: members see their association's dossier, reviewers
only their group's (never with a conflict), experts only what they were asked, the team
everything; every view refuses every other role."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ressourcerie.fund.models import ApplicationStatus, Review
from ressourcerie.fund.selectors import instruction as selectors
from ressourcerie.fund.services import instruction as services
from ressourcerie.fund.services.applications import transition_application
from tests.factories import StaffFactory, UserFactory
from tests.fund import instruction_setup as setup

pytestmark = pytest.mark.django_db

ROLES = (
    "anonymous",
    "signed_in",
    "member",
    "member_other",
    "reviewer",
    "reviewer_conflict",
    "reviewer_other_group",
    "staff",
)


@pytest.fixture
def world(settings, tmp_path):
    settings.FUND_DOCUMENTS_DIR = tmp_path
    loire = setup.department()
    other = setup.department("49", "Maine-et-Loire")
    place = setup.commune(loire, insee="44001", name="Petitbourg", population=900)
    angers = setup.commune(other, insee="49007", name="Angers", population=150000)
    group = setup.group_for_department(loire)
    other_group = setup.group_for_department(other, name="Groupe 49")
    call = setup.make_call(departments=[loire, other])
    organisation, member = setup.applicant("Alpha", place)
    application = setup.submit(call, organisation, member)
    other_organisation, other_member = setup.applicant("Bravo", angers)
    setup.submit(call, other_organisation, other_member)
    staff = StaffFactory()
    conflicted = setup.reviewer(group)
    services.declare_conflict(application=application, reviewer=conflicted)
    users = {
        "anonymous": None,
        "signed_in": UserFactory(),
        "member": member,
        "member_other": other_member,
        "reviewer": setup.reviewer(group),
        "reviewer_conflict": conflicted,
        "reviewer_other_group": setup.reviewer(other_group),
        "staff": staff,
    }
    return {"application": application, "call": call, "users": users, "staff": staff}


def _get(client, user, url):
    client.logout()
    if user is not None:
        client.force_login(user)
    response = client.get(url)
    if response.status_code == 302 and "/connexion" in response["Location"]:
        return "login"
    return response.status_code


def _table(expected: dict) -> dict:
    return {role: expected.get(role, expected.get("*")) for role in ROLES}


@pytest.mark.parametrize(
    "name, expected",
    [
        ("instruction", {"*": 404, "anonymous": "login", "reviewer": 200, "staff": 200}),
        (
            "review",
            {
                "*": 404,
                "anonymous": "login",
                "reviewer": 200,
                "reviewer_conflict": 403,
            },
        ),
        (
            "application_messages",
            {"*": 404, "anonymous": "login", "member": 200, "reviewer": 200, "staff": 200},
        ),
        ("expert_request", {"*": 404, "anonymous": "login", "staff": 200}),
    ],
)
def test_each_dossier_view_answers_each_role(client, world, name, expected):
    url = reverse(f"fund:{name}", args=[world["application"].reference])
    got = {role: _get(client, user, url) for role, user in world["users"].items()}
    assert got == _table(expected)


@pytest.mark.parametrize(
    "url_name, kwargs, expected",
    [
        ("fund:staff_applications", {}, {"*": 403, "anonymous": "login", "staff": 200}),
        ("fund:applications_csv", {}, {"*": 403, "anonymous": "login", "staff": 200}),
        ("fund:applications_ods", {}, {"*": 403, "anonymous": "login", "staff": 200}),
        ("fund:reviewer_home", {}, {"*": 200, "anonymous": "login"}),
    ],
)
def test_each_list_answers_each_role(client, world, url_name, kwargs, expected):
    url = reverse(url_name, kwargs=kwargs or None)
    got = {role: _get(client, user, url) for role, user in world["users"].items()}
    assert got == _table(expected)


def test_the_committee_and_the_letter(client, world):
    committee = reverse("fund:committee", args=[world["call"].slug])
    got = {role: _get(client, user, committee) for role, user in world["users"].items()}
    assert got == _table({"*": 403, "anonymous": "login", "staff": 200})
    application = world["application"]
    transition_application(
        application=application,
        to_status=ApplicationStatus.IN_REVIEW,
        actor=world["staff"],
    )
    transition_application(
        application=application,
        to_status=ApplicationStatus.REFUSED,
        actor=world["staff"],
        reason="Hors champ",
    )
    letter = reverse("fund:decision_letter", args=[application.reference])
    got = {role: _get(client, user, letter) for role, user in world["users"].items()}
    assert got == _table({"*": 404, "anonymous": "login", "member": 200, "staff": 200})


def test_reviewer_lists_hold_only_their_groups_dossiers_without_conflicts(world):
    users = world["users"]
    reference = world["application"].reference
    assert [a.reference for a in selectors.reviewer_applications(users["reviewer"])] == [reference]
    assert list(selectors.reviewer_applications(users["reviewer_conflict"])) == []
    assert reference not in [
        a.reference for a in selectors.reviewer_applications(users["reviewer_other_group"])
    ]
    assert Review.objects.filter(conflict_declared=True).count() == 1


def test_an_expert_link_opens_only_its_own_dossier(client, world):
    application = world["application"]
    opinion = services.request_expert(
        application=application,
        actor=world["staff"],
        name="Claire Martin",
        email="claire@example.org",
        deadline=timezone.localdate() + timedelta(days=5),
    )
    token = selectors.expert_secret(opinion)
    assert selectors.expert_by_token(token).application == application
    # The token opens the expert page, not the team's nor the association's pages.
    assert client.get(reverse("fund:expert_opinion", args=[token])).status_code == 200
    assert _get(client, None, reverse("fund:instruction", args=[application.reference])) == "login"
    assert selectors.expert_by_token(token[:-1] + ("A" if token[-1] != "A" else "B")) is None
