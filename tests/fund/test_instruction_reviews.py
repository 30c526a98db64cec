"""Reviews: the grid scored 0–5 with its guidance, drafts then a final submission, others'
scores hidden until one's own is submitted, conflicts of interest, members refused."""

import pytest
from django.urls import reverse

from ressourcerie.fund.errors import FundError
from ressourcerie.fund.models import Review
from ressourcerie.fund.services import instruction as services
from tests.factories import StaffFactory
from tests.fund import instruction_setup as setup

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    loire = setup.department()
    place = setup.commune(loire, insee="44001", name="Petitbourg", population=900)
    group = setup.group_for_department(loire)
    call = setup.make_call(departments=[loire])
    organisation, member = setup.applicant("Alpha", place)
    application = setup.submit(call, organisation, member)
    first, second = setup.reviewer(group), setup.reviewer(group)
    criteria = list(call.criteria.all())
    return {
        "application": application,
        "member": member,
        "first": first,
        "second": second,
        "criteria": criteria,
        "group": group,
    }


def _post(criteria, scores, **extra):
    data = {f"score_{c.pk}": str(s) for c, s in zip(criteria, scores, strict=True)}
    data.update(extra)
    return data


def test_the_form_shows_the_guidance_of_each_level(client, world):
    client.force_login(world["first"])
    body = client.get(reverse("fund:review", args=[world["application"].reference])).content
    body = body.decode()
    assert "Pertinence du projet (poids 2)" in body
    assert "0 : Absent. 1 : Très insuffisant." in body


def test_a_draft_is_kept_then_submission_needs_every_score_and_an_opinion(client, world):
    application, criteria = world["application"], world["criteria"]
    url = reverse("fund:review", args=[application.reference])
    client.force_login(world["first"])
    response = client.post(url, {f"score_{criteria[0].pk}": "4", "save": "1"})
    assert response.status_code == 302
    review = Review.objects.get()
    assert review.submitted_at is None and review.scores.get().score == 4
    response = client.post(url, {f"score_{criteria[0].pk}": "4", "submit": "1"})
    assert response.status_code == 400
    assert "Notez chaque critère" in response.content.decode()
    # What was typed is kept.
    assert 'value="4" selected' in response.content.decode()
    response = client.post(url, _post(criteria, [4, 3], recommendation="favorable", submit="1"))
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.submitted_at is not None
    with pytest.raises(FundError, match="déjà rendue"):
        services.save_review(
            application=application, reviewer=world["first"], scores={}, submit=False
        )


def test_out_of_range_scores_are_refused(world):
    with pytest.raises(FundError, match="de 0 à 5"):
        services.save_review(
            application=world["application"],
            reviewer=world["first"],
            scores={world["criteria"][0].pk: 6},
        )


def test_others_scores_appear_only_after_submitting_ones_own(client, world):
    application, criteria = world["application"], world["criteria"]
    services.save_review(
        application=application,
        reviewer=world["first"],
        scores={criteria[0].pk: 5, criteria[1].pk: 2},
        comment="Projet solide et très concret",
        recommendation="favorable",
        submit=True,
    )
    url = reverse("fund:instruction", args=[application.reference])
    client.force_login(world["second"])
    assert "Projet solide et très concret" not in client.get(url).content.decode()
    services.save_review(
        application=application,
        reviewer=world["second"],
        scores={criteria[0].pk: 3, criteria[1].pk: 3},
        recommendation="reserve",
        submit=True,
    )
    assert "Projet solide et très concret" in client.get(url).content.decode()
    client.force_login(StaffFactory())
    assert "Projet solide et très concret" in client.get(url).content.decode()


def test_a_declared_conflict_stops_scoring_and_reading(client, world):
    application = world["application"]
    services.save_review(
        application=application,
        reviewer=world["second"],
        scores={c.pk: 5 for c in world["criteria"]},
        recommendation="favorable",
        submit=True,
    )
    client.force_login(world["first"])
    response = client.post(reverse("fund:review", args=[application.reference]), {"conflict": "1"})
    assert response.status_code == 302
    assert Review.objects.get(reviewer=world["first"]).conflict_declared
    assert client.get(reverse("fund:instruction", args=[application.reference])).status_code == 404
    response = client.get(reverse("fund:review", args=[application.reference]))
    assert response.status_code == 403 and "déclaré un conflit" in response.content.decode()
    with pytest.raises(FundError):
        services.save_review(
            application=application,
            reviewer=world["first"],
            scores={c.pk: 1 for c in world["criteria"]},
        )


def test_a_reviewer_member_of_the_association_is_refused(client, world):
    application = world["application"]
    application.organisation.memberships.create(user=world["first"], role="member")
    client.force_login(world["first"])
    response = client.get(reverse("fund:review", args=[application.reference]))
    assert response.status_code == 403
    assert "membre de cette association" in response.content.decode()
    with pytest.raises(FundError, match="membre de cette association"):
        services.save_review(
            application=application,
            reviewer=world["first"],
            scores={c.pk: 5 for c in world["criteria"]},
            recommendation="favorable",
            submit=True,
        )
    assert not Review.objects.exists()


def test_a_reviewer_of_another_group_cannot_open_the_review(client, world):
    outsider = setup.reviewer()
    client.force_login(outsider)
    assert (
        client.get(reverse("fund:review", args=[world["application"].reference])).status_code == 404
    )
