"""The draft and the deposit: saved without JavaScript, deposited once, refused after the
closing date (draft kept), tampered values refused whole, the receipt e-mailed with its PDF."""

import re
import zlib
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from ressourcerie.fund.models import Application, ApplicationStatus, Call
from ressourcerie.fund.pdf import latin1
from ressourcerie.fund.services import applications as services
from ressourcerie.fund.services import applying
from tests.factories import StaffFactory
from tests.fund.applying_setup import (  # noqa: F401
    CHECKLIST,
    _private_documents,
    applicant_world,
    member_of,
    pdf_bytes,
    verified_association,
)

pytestmark = pytest.mark.django_db
S = ApplicationStatus


@pytest.fixture
def draft(client):
    call, association, member = applicant_world()
    client.force_login(member)
    client.post(reverse("fund:apply", args=[call.slug]))
    return Application.objects.get()


def edit_url(application):
    return reverse("fund:application_edit", args=[application.reference])


def complete_data(application, **extra):
    data = {
        "project": "Passer nos outils au libre et former les bénévoles.",
        "support_format": "individuel",
        "action_keys": [application.diagnostic_snapshot["actions"][0]["key"]],
        "days_requested": "3,5",
        "cofunding": "Commune : 500 €",
        "checklist_ticked": ["0"],
        "action": "brouillon",
    }
    document = application.call.documents.get()
    data[f"document_{document.pk}"] = SimpleUploadedFile(
        "budget.pdf", pdf_bytes(), content_type="application/pdf"
    )
    data.update(extra)
    return data


def pdf_text(data: bytes) -> str:
    """The text drawn in an fpdf2 PDF (its page streams are deflated)."""
    chunks = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            chunks.append(zlib.decompress(stream))
        except zlib.error:
            chunks.append(stream)
    return b" ".join(chunks).decode("latin-1")


def test_a_draft_is_saved_then_deposited_with_a_receipt(
    client, draft, django_capture_on_commit_callbacks
):
    response = client.post(edit_url(draft), complete_data(draft))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == S.DRAFT
    assert draft.project.startswith("Passer nos outils")
    assert str(draft.days_requested) == "3.5"
    assert draft.checklist_ticked == CHECKLIST
    assert draft.documents.get().original_name == "budget.pdf"
    page = client.get(edit_url(draft)).content.decode()
    assert "Brouillon enregistré." in page and "budget.pdf" in page
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(edit_url(draft), {**complete_data(draft), "action": "deposer"})
    assert response.status_code == 302
    assert response["Location"] == draft.get_absolute_url()
    draft.refresh_from_db()
    assert draft.status == S.SUBMITTED and draft.submitted_at is not None
    assert [t.to_status for t in draft.transitions.all()] == [S.SUBMITTED]
    # The document sent again with the deposit replaced the first one.
    assert draft.documents.count() == 1
    assert len(mail.outbox) == 1
    receipt = mail.outbox[0]
    assert receipt.to == ["membre@asso.example"]
    assert draft.reference in receipt.subject and "déposé" in receipt.subject
    receipt_url = reverse("fund:receipt_pdf", args=[draft.reference])
    assert receipt_url in receipt.body

    pdf = client.get(receipt_url)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    drawn = pdf_text(pdf.content)
    for expected in (draft.reference, "Transition numérique 2027", "Les Jardins Partagés"):
        assert expected.encode("latin-1").decode("latin-1") in drawn
    assert "budget.pdf" in drawn and "3,5" in drawn
    assert latin1(draft.diagnostic_snapshot["actions"][0]["title"])[:20] in drawn


def test_a_deposit_with_missing_items_lists_them_and_keeps_the_input(client, draft):
    data = complete_data(draft, action="deposer", days_requested="", checklist_ticked=[])
    del data[f"document_{draft.call.documents.get().pk}"]
    response = client.post(edit_url(draft), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Il manque" in page
    assert "Indiquez le nombre de jours" in page
    assert "Cochez toutes les attestations" in page
    assert "Joignez le document « Budget prévisionnel »" in page
    assert "Passer nos outils au libre" in page  # kept as typed
    draft.refresh_from_db()
    assert draft.status == S.DRAFT and draft.project.startswith("Passer nos outils")


def test_a_double_deposit_is_refused_cleanly(client, draft):
    client.post(edit_url(draft), {**complete_data(draft), "action": "deposer"})
    draft.refresh_from_db()
    assert draft.status == S.SUBMITTED
    again = client.post(
        reverse("fund:application_transition", args=[draft.reference]), {"vers": "depose"}
    )
    assert again.status_code == 302
    assert "ne peut pas passer" in client.get(again["Location"]).content.decode()
    # The edit page of a deposited dossier sends back to the dossier, nothing changed.
    edit = client.post(edit_url(draft), {**complete_data(draft), "action": "deposer"})
    assert edit.status_code == 302
    assert draft.transitions.count() == 1
    with pytest.raises(Exception, match="ne peut pas passer"):
        applying.submit_application(application=draft, actor=draft.created_by)


def test_a_deposit_after_closing_is_refused_and_the_draft_kept(client, draft):
    Call.objects.filter(pk=draft.call_id).update(
        opens_on=timezone.localdate() - timedelta(days=30),
        closes_on=timezone.localdate() - timedelta(days=1),
    )
    response = client.post(edit_url(draft), {**complete_data(draft), "action": "deposer"})
    assert response.status_code == 400
    assert "votre brouillon est conservé" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == S.DRAFT
    assert draft.project.startswith("Passer nos outils") and draft.documents.count() == 1


@pytest.mark.parametrize(
    "tampered, message",
    [
        ({"action_keys": ["pas-une-action-du-plan"]}, "choix valide"),
        ({"days_requested": "50"}, "au plus 5 jours"),
        ({"days_requested": "-2"}, "supérieure ou égale"),
        ({"support_format": "collectif"}, "choix valide"),
        ({"checklist_ticked": ["7"]}, "choix valide"),
    ],
)
def test_tampered_values_are_refused_and_nothing_is_written(client, draft, tampered, message):
    response = client.post(edit_url(draft), complete_data(draft, **tampered))
    assert response.status_code == 400
    assert message in response.content.decode()
    draft.refresh_from_db()
    assert draft.project == "" and draft.documents.count() == 0


def test_the_service_refuses_what_the_form_would_not_send(draft):
    member = draft.created_by
    with pytest.raises(Exception, match="plan de votre diagnostic"):
        applying.save_draft(
            application=draft, actor=member, fields={"action_keys": ["inventee"], "project": "x"}
        )
    with pytest.raises(Exception, match="au plus 5 jours"):
        applying.save_draft(application=draft, actor=member, fields={"days_requested": "9"})
    draft.refresh_from_db()
    assert draft.project == "" and draft.days_requested is None


def test_another_associations_dossier_is_not_found(client, draft):
    client.post(edit_url(draft), complete_data(draft))
    stranger = member_of(verified_association(name="Autre", slug="autre"), "autre@asso.example")
    client.force_login(stranger)
    document = draft.documents.get()
    for url in (
        draft.get_absolute_url(),
        edit_url(draft),
        reverse("fund:receipt_pdf", args=[draft.reference]),
        reverse("fund:document_download", args=[draft.reference, document.pk]),
    ):
        assert client.get(url).status_code == 404
    assert client.post(edit_url(draft), complete_data(draft)).status_code == 404
    delete = reverse("fund:document_delete", args=[draft.reference, document.pk])
    assert client.post(delete).status_code == 404
    assert draft.documents.count() == 1


def test_a_correction_request_is_shown_and_the_dossier_deposited_again(
    client, draft, django_capture_on_commit_callbacks
):
    client.post(edit_url(draft), {**complete_data(draft), "action": "deposer"})
    draft.refresh_from_db()
    services.transition_application(
        application=draft,
        to_status=S.TO_CORRECT,
        actor=StaffFactory(),
        reason="Le budget prévisionnel n'est pas signé.",
    )
    page = client.get(edit_url(draft)).content.decode()
    assert "Correction demandée" in page and "pas signé" in page
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            edit_url(draft),
            {**complete_data(draft), "project": "Projet corrigé", "action": "deposer"},
        )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == S.SUBMITTED and draft.project == "Projet corrigé"
    assert "de nouveau" in mail.outbox[0].body


def test_withdrawal_needs_a_confirmation(client, draft):
    url = reverse("fund:application_transition", args=[draft.reference])
    refused = client.post(url, {"vers": "retire"})
    assert "Cochez la case" in client.get(refused["Location"]).content.decode()
    draft.refresh_from_db()
    assert draft.status == S.DRAFT
    client.post(url, {"vers": "retire", "confirm": "on"})
    draft.refresh_from_db()
    assert draft.status == S.WITHDRAWN
    page = client.get(draft.get_absolute_url()).content.decode()
    assert "Vous avez retiré ce dossier" in page and "Retirer le dossier" not in page
