"""The dossier's thread between the team and the association: both sides write, the other
side is e-mailed, attachments are checked and served only to those allowed; a correction
request is a move with a reason that also lands in the thread."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ressourcerie.fund.models import ApplicationStatus, Message
from tests.factories import StaffFactory, UserFactory
from tests.fund import instruction_setup as setup

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def world(settings, tmp_path):
    settings.FUND_DOCUMENTS_DIR = tmp_path
    loire = setup.department()
    place = setup.commune(loire, insee="44001", name="Petitbourg", population=900)
    group = setup.group_for_department(loire)
    call = setup.make_call(departments=[loire])
    organisation, member = setup.applicant("Alpha", place)
    application = setup.submit(call, organisation, member)
    return {"application": application, "member": member, "reviewer": setup.reviewer(group)}


def test_the_team_writes_and_the_members_are_emailed(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    application = world["application"]
    client.force_login(StaffFactory())
    url = reverse("fund:application_messages", args=[application.reference])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "body": "Pouvez-vous préciser le calendrier ?",
                "attachment": SimpleUploadedFile("note.pdf", PDF, "application/pdf"),
            },
        )
    assert response.status_code == 302
    message = Message.objects.get()
    assert message.from_team and message.attachment_name == "note.pdf"
    assert [m.to for m in mailoutbox] == [[world["member"].email]]
    assert "nouveau message" in mailoutbox[0].subject
    assert "calendrier" not in mailoutbox[0].body  # the text stays on the site
    # The member reads it and downloads the attachment; a stranger cannot.
    client.force_login(world["member"])
    assert "calendrier" in client.get(url).content.decode()
    attachment = reverse("fund:message_attachment", args=[application.reference, message.pk])
    assert client.get(attachment).status_code == 200
    client.force_login(UserFactory())
    assert client.get(attachment).status_code == 404
    assert client.get(url).status_code == 404


def test_the_association_answers_and_the_group_is_emailed(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(world["member"])
    url = reverse("fund:application_messages", args=[world["application"].reference])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"body": "Voici le calendrier."}).status_code == 302
    assert not Message.objects.get().from_team
    assert [m.to for m in mailoutbox] == [[world["reviewer"].email]]


def test_a_fake_attachment_is_refused_and_the_text_kept(client, world):
    client.force_login(world["member"])
    url = reverse("fund:application_messages", args=[world["application"].reference])
    response = client.post(
        url,
        {
            "body": "Mon texte à garder",
            "attachment": SimpleUploadedFile("virus.pdf", b"MZ\x90\x00", "application/pdf"),
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "doit être un PDF" in body and "Mon texte à garder" in body
    assert not Message.objects.exists()


def test_a_correction_request_needs_a_reason_and_reaches_the_thread(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    application = world["application"]
    client.force_login(StaffFactory())
    url = reverse("fund:instruction", args=[application.reference])
    response = client.post(url, {"action": "move", "to_status": ApplicationStatus.TO_CORRECT})
    assert response.status_code == 400
    assert "Écrivez le motif" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "action": "move",
                "to_status": ApplicationStatus.TO_CORRECT,
                "reason": "Le budget prévisionnel manque.",
            },
        )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.TO_CORRECT
    assert Message.objects.get().correction
    assert len(mailoutbox) == 1 and "budget prévisionnel manque" in mailoutbox[0].body


def test_annotations_and_labels_are_the_teams_only(client, world):
    application = world["application"]
    url = reverse("fund:instruction", args=[application.reference])
    client.force_login(world["reviewer"])
    client.post(url, {"action": "annotation", "body": "note secrète"})
    assert not application.annotations.exists()
    client.force_login(StaffFactory())
    client.post(url, {"action": "annotation", "body": "Association bien connue du réseau"})
    client.post(url, {"action": "labels", "new_label": "à relancer"})
    assert application.annotations.get().body == "Association bien connue du réseau"
    assert [label.name for label in application.labels.all()] == ["à relancer"]
    client.force_login(world["reviewer"])
    assert "bien connue du réseau" not in client.get(url).content.decode()
