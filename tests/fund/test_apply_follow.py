"""The association follows its dossier: status with what happens next, history, the
decision and its letter, messages; "Mes dossiers" lists its associations' dossiers."""

from decimal import Decimal

import pytest
from django.urls import reverse

from ressourcerie.fund.models import Application, ApplicationStatus
from ressourcerie.fund.services import applications as services
from tests.factories import StaffFactory, UserFactory
from tests.fund.applying_setup import (  # noqa: F401
    _private_documents,
    applicant_world,
    open_call,
)

pytestmark = pytest.mark.django_db
S = ApplicationStatus


@pytest.fixture
def decided(client):
    call, association, member = applicant_world()
    client.force_login(member)
    client.post(reverse("fund:apply", args=[call.slug]))
    application = Application.objects.get()
    Application.objects.filter(pk=application.pk).update(
        project="Former nos bénévoles.", status=S.IN_REVIEW
    )
    services.transition_application(
        application=application,
        to_status=S.ACCEPTED_WITH_CONDITIONS,
        actor=StaffFactory(),
        reason="Un bilan écrit à six mois.",
        days_granted=Decimal("4.5"),
        amount_granted=2250,
    )
    return application


def test_the_dossier_page_explains_the_decision(client, decided):
    page = client.get(decided.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert "Accepté sous conditions" in html
    assert "L&#x27;équipe du fonds vous contactera" in html
    assert "4,5" in html and "2 250" in html.replace("\u202f", " ").replace("\xa0", " ")
    assert "Un bilan écrit à six mois." in html
    assert reverse("fund:decision_letter", args=[decided.reference]) in html
    assert reverse("fund:application_messages", args=[decided.reference]) in html
    assert "Accepté sous conditions — Un bilan écrit" in html  # the history row
    # Decided: no withdrawal any more.
    assert "Retirer le dossier" not in html


def test_a_draft_page_offers_to_complete_and_withdraw(client):
    call, _association, member = applicant_world()
    client.force_login(member)
    client.post(reverse("fund:apply", args=[call.slug]))
    application = Application.objects.get()
    html = client.get(application.get_absolute_url()).content.decode()
    assert "brouillon" in html.lower()
    assert reverse("fund:application_edit", args=[application.reference]) in html
    assert "Retirer le dossier" in html and "Je confirme retirer" in html
    assert reverse("fund:receipt_pdf", args=[application.reference]) not in html
    assert client.get(reverse("fund:receipt_pdf", args=[application.reference])).status_code == 404


def test_my_applications_lists_the_dossiers_of_my_associations(client, decided):
    page = client.get(reverse("fund:my_applications")).content.decode()
    assert decided.reference in page and "Transition numérique 2027" in page
    client.force_login(UserFactory())
    empty = client.get(reverse("fund:my_applications")).content.decode()
    assert decided.reference not in empty
    assert "pas encore de dossier" in empty
    assert decided.call.get_absolute_url() in empty  # the open call is suggested


def test_my_applications_is_on_the_account_page(client, decided):
    page = client.get(reverse("accounts:profile")).content.decode()
    assert reverse("fund:my_applications") in page and "Mes dossiers au fonds" in page


def test_anonymous_visitors_are_sent_to_sign_in(client, decided):
    client.logout()
    for url in (
        reverse("fund:my_applications"),
        decided.get_absolute_url(),
        reverse("fund:application_edit", args=[decided.reference]),
        reverse("fund:apply", args=[decided.call.slug]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/compte/")
