"""Expert opinions: requested by e-mail with a private link, the page shows the project, the
plan and the documents but never the scores, answered once, one reminder, revocable."""

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from ressourcerie.core.models import Organisation
from ressourcerie.core.models.organisations import OrganisationKind
from ressourcerie.fund.models import ExpertOpinion
from ressourcerie.fund.selectors import instruction as selectors
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
    reviewer = setup.reviewer(group)
    services.save_review(
        application=application,
        reviewer=reviewer,
        scores={c.pk: 4 for c in call.criteria.all()},
        comment="Commentaire confidentiel du relecteur",
        recommendation="favorable",
        submit=True,
    )
    structure = Organisation.objects.create(
        kind=OrganisationKind.SUPPORT_STRUCTURE,
        name="Numérique Solidaire 44",
        slug="numerique-solidaire-44",
        public_email="contact@numerique-solidaire.example",
    )
    return {"application": application, "structure": structure, "staff": StaffFactory()}


def _link(mail) -> str:
    return re.search(r"https?://\S+/fonds/avis/(\S+)/", mail.body).group(1)


def _ask(client, world, mailoutbox, capture, **extra):
    client.force_login(world["staff"])
    deadline = (timezone.localdate() + timedelta(days=10)).strftime("%d/%m/%Y")
    data = {"organisation": world["structure"].pk, "deadline": deadline, **extra}
    with capture(execute=True):
        response = client.post(
            reverse("fund:expert_request", args=[world["application"].reference]), data
        )
    assert response.status_code == 302, response.content.decode()
    client.logout()
    return _link(mailoutbox[-1])


def test_the_expert_reads_the_dossier_without_scores_and_answers_once(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    token = _ask(client, world, mailoutbox, django_capture_on_commit_callbacks)
    opinion = ExpertOpinion.objects.get()
    assert mailoutbox[-1].to == ["contact@numerique-solidaire.example"]
    assert opinion.token_hash != token and len(opinion.token_hash) == 64
    assert selectors.expert_by_token(token) == opinion
    url = reverse("fund:expert_opinion", args=[token])
    response = client.get(url)
    body = response.content.decode()
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert "Former les bénévoles" in body
    assert "Commentaire confidentiel" not in body and "4/5" not in body
    response = client.post(url, {"opinion": "", "recommendation": "favorable"})
    assert response.status_code == 400
    response = client.post(url, {"opinion": "Projet réaliste.", "recommendation": "favorable"})
    assert response.status_code == 200
    opinion.refresh_from_db()
    assert opinion.answered_at is not None and opinion.opinion == "Projet réaliste."
    assert selectors.expert_by_token(token) is None
    again = client.post(url, {"opinion": "Autre avis", "recommendation": "defavorable"})
    assert again.status_code == 410 and "a été rendu" in again.content.decode()
    opinion.refresh_from_db()
    assert opinion.opinion == "Projet réaliste."


def test_a_revoked_link_says_so(client, world, mailoutbox, django_capture_on_commit_callbacks):
    token = _ask(client, world, mailoutbox, django_capture_on_commit_callbacks)
    opinion = ExpertOpinion.objects.get()
    client.force_login(world["staff"])
    client.post(
        reverse("fund:expert_request", args=[world["application"].reference]),
        {"revoke": opinion.pk},
    )
    client.logout()
    response = client.get(reverse("fund:expert_opinion", args=[token]))
    assert response.status_code == 410 and "retiré" in response.content.decode()
    assert selectors.expert_by_token(token) is None
    assert client.get(reverse("fund:expert_opinion", args=["inconnu"])).status_code == 404


def test_a_typed_expert_needs_a_name_and_an_address(client, world):
    client.force_login(world["staff"])
    response = client.post(
        reverse("fund:expert_request", args=[world["application"].reference]),
        {"expert_name": "Claire Martin", "deadline": "01/01/2020"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "adresse de l" in body and "Claire Martin" in body
    assert not ExpertOpinion.objects.exists()


def test_one_reminder_before_the_deadline(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    _ask(client, world, mailoutbox, django_capture_on_commit_callbacks)
    opinion = ExpertOpinion.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("remind_fund_experts")
    assert len(mailoutbox) == 1  # ten days ahead: not yet
    ExpertOpinion.objects.filter(pk=opinion.pk).update(
        deadline=timezone.localdate() + timedelta(days=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("remind_fund_experts")
        call_command("remind_fund_experts")
    assert len(mailoutbox) == 2 and mailoutbox[-1].subject.startswith("Rappel")
    # The reminder carries the same link as the request.
    assert _link(mailoutbox[0]) == _link(mailoutbox[1])


def test_only_the_team_asks_experts(client, world):
    client.force_login(setup.reviewer(world["application"].group))
    url = reverse("fund:expert_request", args=[world["application"].reference])
    assert client.get(url).status_code == 404
    assert (
        client.post(url, {"expert_name": "X", "expert_email": "x@example.org"}).status_code == 404
    )
    assert not ExpertOpinion.objects.exists()
