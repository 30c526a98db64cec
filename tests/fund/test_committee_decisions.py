"""The committee: ranking by weighted score plus priority points, the budget consumed live,
decisions within budget, over-budget refusals keeping what was typed, reasons, the letter
(PDF) for the team and the association, the status e-mail pointing at it."""

from decimal import Decimal

import pytest
from django.urls import reverse

from ressourcerie.fund.models import ApplicationStatus
from ressourcerie.fund.selectors import committee
from ressourcerie.fund.services import instruction as services
from ressourcerie.fund.services.applications import transition_application
from tests.factories import StaffFactory, UserFactory
from tests.fund import instruction_setup as setup

pytestmark = pytest.mark.django_db
S = ApplicationStatus


@pytest.fixture
def world():
    loire = setup.department()
    village = setup.commune(loire, insee="44001", name="Petitbourg", population=900)
    city = setup.commune(loire, insee="44109", name="Nantes", population=320000)
    group = setup.group_for_department(loire)
    call = setup.make_call(departments=[loire])
    staff = StaffFactory()
    reviewers = [setup.reviewer(group), setup.reviewer(group)]
    criteria = list(call.criteria.all())  # weights 2 and 1
    dossiers = {}
    for name, place, marks in (
        ("Alpha", village, [(3, 3), (3, 3)]),  # 3.00 + 3 rural points
        ("Bravo", city, [(5, 2), (5, 5)]),  # (12/3 + 15/3) / 2 = 4.50
        ("Charlie", city, [(1, 1), (2, 2)]),  # 1.50
    ):
        organisation, member = setup.applicant(name, place)
        application = setup.submit(call, organisation, member)
        transition_application(application=application, to_status=S.IN_REVIEW, actor=staff)
        for reviewer, (first, second) in zip(reviewers, marks, strict=True):
            services.save_review(
                application=application,
                reviewer=reviewer,
                scores={criteria[0].pk: first, criteria[1].pk: second},
                recommendation="favorable",
                submit=True,
            )
        dossiers[name] = (application, member)
    return {"call": call, "staff": staff, "dossiers": dossiers}


def test_ranking_weights_the_grid_and_adds_priority_points(world):
    rows = committee.with_details(world["call"], committee.ranking(world["call"]))
    assert [r.application.organisation.name for r in rows] == ["Alpha", "Bravo", "Charlie"]
    alpha, bravo, charlie = rows
    assert (alpha.score, alpha.total, [p.label for p in alpha.met]) == (
        Decimal("3.00"),
        Decimal("6.00"),
        ["Commune de moins de 5 000 habitants"],
    )
    assert (bravo.score, bravo.reviews, bravo.met) == (Decimal("4.50"), 2, [])
    assert charlie.score == Decimal("1.50")


def test_the_committee_page_shows_budget_criteria_and_the_decision_form(client, world):
    client.force_login(world["staff"])
    alpha, _m = world["dossiers"]["Alpha"]
    url = reverse("fund:committee", args=[world["call"].slug])
    response = client.get(url, {"dossier": alpha.reference})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<strong>20</strong> jours sur 20" in body
    assert "10\u00a0000 €" in body or "10 000 €" in body
    assert "Commune de moins de 5 000 habitants (+3)" in body
    assert f'value="{alpha.reference}"' in body


def _decide(client, world, name, **data):
    application, _m = world["dossiers"][name]
    return client.post(
        reverse("fund:committee", args=[world["call"].slug]),
        {"reference": application.reference, **data},
    )


def test_decisions_consume_the_budget_and_over_budget_is_refused_keeping_input(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(world["staff"])
    with django_capture_on_commit_callbacks(execute=True):
        response = _decide(
            client, world, "Alpha", decision="accept", days_granted="12", amount_granted="6000"
        )
    assert response.status_code == 302
    alpha, alpha_member = world["dossiers"]["Alpha"]
    alpha.refresh_from_db()
    assert (alpha.status, alpha.days_granted, alpha.amount_granted) == (
        S.ACCEPTED,
        Decimal("12"),
        6000,
    )
    mail = mailoutbox[-1]
    assert mail.to == [alpha_member.email]
    assert f"/fonds/dossiers/{alpha.reference}/lettre-de-decision.pdf" in mail.body
    response = _decide(
        client, world, "Bravo", decision="accept", days_granted="9", amount_granted="1000"
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Il reste 8 jours au budget" in body and 'value="9"' in body
    bravo, _m = world["dossiers"]["Bravo"]
    bravo.refresh_from_db()
    assert bravo.status == S.IN_REVIEW
    response = _decide(client, world, "Bravo", decision="conditions", days_granted="8")
    assert response.status_code == 400 and "Écrivez le motif" in response.content.decode()
    response = _decide(
        client,
        world,
        "Bravo",
        decision="conditions",
        days_granted="8",
        amount_granted="4000",
        reason="Désigner un référent numérique.",
    )
    assert response.status_code == 302
    response = _decide(client, world, "Charlie", decision="refuse")
    assert response.status_code == 400
    response = _decide(client, world, "Charlie", decision="refuse", reason="Projet hors champ.")
    assert response.status_code == 302
    charlie, _m = world["dossiers"]["Charlie"]
    charlie.refresh_from_db()
    assert (charlie.status, charlie.decision_reason) == (S.REFUSED, "Projet hors champ.")
    body = client.get(reverse("fund:committee", args=[world["call"].slug])).content.decode()
    assert "<strong>0</strong> jours sur 20" in body


def test_a_tampered_reference_changes_nothing(client, world):
    client.force_login(world["staff"])
    response = client.post(
        reverse("fund:committee", args=[world["call"].slug]),
        {"reference": "2026-ZZZZZZ", "decision": "accept", "days_granted": "1"},
    )
    assert response.status_code == 302
    assert all(a.transitions.count() == 2 for a, _m in world["dossiers"].values())


def test_the_letter_is_for_the_team_and_the_association_once_decided(client, world):
    alpha, member = world["dossiers"]["Alpha"]
    url = reverse("fund:decision_letter", args=[alpha.reference])
    client.force_login(world["staff"])
    assert client.get(url).status_code == 404  # not decided yet
    transition_application(
        application=alpha, to_status=S.REFUSED, actor=world["staff"], reason="Hors champ"
    )
    response = client.get(url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    client.force_login(member)
    assert client.get(url).status_code == 200
    client.force_login(setup.reviewer(alpha.group))
    assert client.get(url).status_code == 404
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404


def test_the_committee_is_the_teams(client, world):
    url = reverse("fund:committee", args=[world["call"].slug])
    client.force_login(setup.reviewer(world["dossiers"]["Alpha"][0].group))
    assert client.get(url).status_code == 403
    client.force_login(world["dossiers"]["Alpha"][1])
    assert client.get(url).status_code == 403


def test_the_committee_rows_link_each_dossier_its_decision_and_its_letter(client, world):
    alpha, _m = world["dossiers"]["Alpha"]
    bravo, _m = world["dossiers"]["Bravo"]
    transition_application(
        application=alpha, to_status=S.REFUSED, actor=world["staff"], reason="Hors champ"
    )
    client.force_login(world["staff"])
    response = client.get(reverse("fund:committee", args=[world["call"].slug]), {"page": "1"})
    body = response.content.decode()
    # Bravo is first among those to decide; its link keeps the page's query.
    assert '<td data-label="Rang">1</td>' in body
    assert f'href="{reverse("fund:instruction", args=[bravo.reference])}"' in body
    assert f'href="?page=1&amp;dossier={bravo.reference}#decision"' in body
    assert "(2 évaluations)" in body
    # Alpha, decided, comes last with its letter instead of a « Décider » link.
    assert f'href="{reverse("fund:decision_letter", args=[alpha.reference])}"' in body
    assert f"dossier={alpha.reference}" not in body
    assert [r.rank for r in response.context["page_obj"]] == [1, 2, 3]
    assert response.context["page_obj"][2].application.reference == alpha.reference
