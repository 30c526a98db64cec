"""Uploads and messages of the fund are limited (fund/ratelimits.py): per account and per
client, the team included; past the limit a French 429 says when to try again and keeps
what was typed, and nothing is stored."""

import pytest
from django.urls import reverse

from ressourcerie.fund.models import Application, ApplicationDocument, Message
from tests.factories import StaffFactory
from tests.fund import instruction_setup as setup
from tests.fund.applying_setup import _private_documents, applicant_world  # noqa: F401

from .test_apply_submit import complete_data, edit_url

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock(ratelimit_clock):
    return ratelimit_clock


def _from(n):
    return {"REMOTE_ADDR": f"198.51.100.{n}"}


def test_document_uploads_are_limited_per_account(client, settings, ratelimit_clock):
    settings.FUND_RATE_LIMITS = {"document_user": (3, 3600)}
    call, _association, member = applicant_world()
    client.force_login(member)
    client.post(reverse("fund:apply", args=[call.slug]))
    draft = Application.objects.get()
    answers = [
        client.post(edit_url(draft), complete_data(draft, project=f"Projet {n}"), **_from(n))
        for n in range(4)
    ]
    assert [a.status_code for a in answers] == [302] * 3 + [429]
    html = answers[-1].content.decode()
    assert "Trop de demandes en peu de temps. Réessayez dans 30 minutes." in html
    assert "Projet 3" in html  # what was typed is kept
    draft.refresh_from_db()
    assert draft.project == "Projet 2"  # the refused save wrote nothing
    assert ApplicationDocument.objects.count() == 1
    # A save without a file is not an upload: it goes through.
    data = complete_data(draft, project="Sans fichier")
    data.pop(next(k for k in data if k.startswith("document_")))
    assert client.post(edit_url(draft), data).status_code == 302
    ratelimit_clock.advance(1800)  # the hour's window turns
    assert client.post(edit_url(draft), complete_data(draft)).status_code == 302


def test_document_uploads_are_limited_per_client(client, settings):
    settings.FUND_RATE_LIMITS = {"document_ip": (2, 3600)}
    call, _association, member = applicant_world()
    client.force_login(member)
    client.post(reverse("fund:apply", args=[call.slug]))
    draft = Application.objects.get()
    answers = [client.post(edit_url(draft), complete_data(draft), **_from(9)) for _n in range(3)]
    assert [a.status_code for a in answers] == [302, 302, 429]


@pytest.fixture
def submitted(settings, tmp_path):
    settings.FUND_DOCUMENTS_DIR = tmp_path
    loire = setup.department()
    place = setup.commune(loire, insee="44001", name="Petitbourg", population=900)
    setup.group_for_department(loire)
    call = setup.make_call(departments=[loire])
    organisation, member = setup.applicant("Alpha", place)
    return setup.submit(call, organisation, member), member


def test_messages_are_limited_per_account_the_team_included(client, settings, submitted):
    settings.FUND_RATE_LIMITS = {"message_user": (2, 3600)}
    application, member = submitted
    url = reverse("fund:application_messages", args=[application.reference])
    for user in (member, StaffFactory()):
        client.force_login(user)
        answers = [client.post(url, {"body": f"Question {n} ?"}, **_from(n)) for n in range(3)]
        assert [a.status_code for a in answers] == [302, 302, 429]
        html = answers[-1].content.decode()
        assert "Réessayez dans 30 minutes." in html and "Question 2 ?" in html
    assert Message.objects.count() == 4


def test_messages_are_limited_per_client(client, settings, submitted):
    settings.FUND_RATE_LIMITS = {"message_ip": (1, 3600)}
    application, member = submitted
    client.force_login(member)
    url = reverse("fund:application_messages", args=[application.reference])
    answers = [client.post(url, {"body": "Bonjour"}, **_from(7)) for _n in range(2)]
    assert [a.status_code for a in answers] == [302, 429]
    assert client.post(url, {"body": "Bonjour"}, **_from(8)).status_code == 302
