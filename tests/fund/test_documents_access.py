"""Documents are stored outside MEDIA_ROOT under a random name, streamed as attachments with
nosniff to those who may see the dossier, and deleted only while it is editable."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from ressourcerie.accounts.models import Role
from ressourcerie.core.tokens import new_token
from ressourcerie.fund.models import Application, ApplicationStatus, ExpertOpinion, ReviewerGroup
from ressourcerie.fund.services import applying
from tests.factories import MembershipFactory, StaffFactory, UserFactory
from tests.fund.applying_setup import (  # noqa: F401
    _private_documents,
    applicant_world,
    member_of,
    pdf_bytes,
    verified_association,
)

pytestmark = pytest.mark.django_db
S = ApplicationStatus


@pytest.fixture
def with_document(client):
    call, _association, member = applicant_world()
    client.force_login(member)
    client.post(reverse("fund:apply", args=[call.slug]))
    application = Application.objects.get()
    requested = call.documents.get()
    response = client.post(
        reverse("fund:application_edit", args=[application.reference]),
        {
            "action": "brouillon",
            f"document_{requested.pk}": SimpleUploadedFile(
                "Budget 2027.pdf", pdf_bytes(), content_type="text/html"
            ),
        },
    )
    assert response.status_code == 302
    return application, application.documents.get(), member


def download_url(application, document):
    return reverse("fund:document_download", args=[application.reference, document.pk])


def test_a_document_is_stored_outside_media_root_under_a_random_name(with_document):
    _application, document, _member = with_document
    path = Path(document.file.path).resolve()
    assert path.is_file() and path.read_bytes() == pdf_bytes()
    assert Path(django_settings.FUND_DOCUMENTS_DIR).resolve() in path.parents
    assert Path(django_settings.MEDIA_ROOT).resolve() not in path.parents
    assert "Budget" not in path.name
    # Typed by content, not by what the browser said.
    assert document.content_type == "application/pdf"
    assert document.size == len(pdf_bytes())


def test_a_member_downloads_it_as_an_attachment_with_nosniff(client, with_document):
    application, document, _member = with_document
    response = client.get(download_url(application, document))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes()
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Budget 2027.pdf" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]


def test_only_those_allowed_get_the_document(client, with_document):
    application, document, _member = with_document
    url = download_url(application, document)
    client.logout()
    assert client.get(url).status_code == 302  # to the sign-in page
    stranger = member_of(verified_association(name="Autre", slug="autre"), "autre@asso.example")
    outside_reviewer = UserFactory()
    MembershipFactory(user=outside_reviewer, organisation=None, role=Role.REVIEWER)
    for user in (stranger, outside_reviewer, UserFactory()):
        client.force_login(user)
        assert client.get(url).status_code == 404
    # A reviewer of the group the dossier is routed to, and the team, may read it.
    group = ReviewerGroup.objects.create(name="Loire-Atlantique")
    group.members.add(outside_reviewer)
    Application.objects.filter(pk=application.pk).update(group=group)
    client.force_login(outside_reviewer)
    assert client.get(url).status_code == 200
    client.force_login(StaffFactory())
    assert client.get(url).status_code == 200


def test_a_document_of_another_dossier_is_not_found_through_mine(client, with_document):
    application, _document, _member = with_document
    other = verified_association(name="Voisins", slug="voisins")
    other_member = member_of(other, "voisin@asso.example")
    other_application = Application.objects.create(
        call=application.call, organisation=other, reference="2027-AAAAAA", created_by=other_member
    )
    # The member names their own dossier and another dossier's document number.
    foreign = other_application.documents.create(
        original_name="secret.pdf", content_type="application/pdf", size=3, file="x/secret.pdf"
    )
    assert client.get(download_url(application, foreign)).status_code == 404
    delete = reverse("fund:document_delete", args=[application.reference, foreign.pk])
    assert client.post(delete).status_code == 404
    assert other_application.documents.count() == 1


def test_a_document_is_deleted_while_editable_only(
    client, with_document, django_capture_on_commit_callbacks
):
    application, document, member = with_document
    path = Path(document.file.path)
    delete = reverse("fund:document_delete", args=[application.reference, document.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(delete)
    assert response.status_code == 302
    assert not application.documents.exists() and not path.exists()
    # Once deposited, nothing is deleted.
    Application.objects.filter(pk=application.pk).update(status=S.SUBMITTED)
    kept = application.documents.create(
        original_name="b.pdf", content_type="application/pdf", size=3, file="x/b.pdf"
    )
    response = client.post(
        reverse("fund:document_delete", args=[application.reference, kept.pk]), follow=True
    )
    assert "ne se modifie plus" in response.content.decode()
    assert application.documents.filter(pk=kept.pk).exists()
    with pytest.raises(Exception, match="ne se modifie plus"):
        applying.delete_document(document=kept, actor=member)


def test_a_fake_pdf_sent_with_the_draft_is_refused_and_nothing_saved(client, with_document):
    application, _document, _member = with_document
    requested = application.call.documents.get()
    response = client.post(
        reverse("fund:application_edit", args=[application.reference]),
        {
            "action": "brouillon",
            "project": "Un projet",
            f"document_{requested.pk}": SimpleUploadedFile(
                "faux.pdf", b"<html>pas un pdf</html>", content_type="application/pdf"
            ),
        },
    )
    assert response.status_code == 400
    assert "n&#x27;est pas un document accepté" in response.content.decode()
    application.refresh_from_db()
    assert application.project == ""
    assert application.documents.get().original_name == "Budget 2027.pdf"


def test_an_oversized_document_is_refused(client, with_document, settings):
    settings.FUND_DOCUMENT_MAX_MB = 1
    application, _document, _member = with_document
    requested = application.call.documents.get()
    big = b"%PDF-1.4\n" + b"x" * (1024 * 1024 + 10) + b"\n%%EOF\n"
    response = client.post(
        reverse("fund:application_edit", args=[application.reference]),
        {"action": "brouillon", f"document_{requested.pk}": SimpleUploadedFile("gros.pdf", big)},
    )
    assert response.status_code == 400
    assert "dépasse 1 Mo" in response.content.decode()
    assert application.documents.count() == 1


def test_an_expert_opens_the_documents_through_the_private_link_only(client, with_document):
    application, document, _member = with_document
    raw, digest = new_token()
    opinion = ExpertOpinion.objects.create(
        application=application,
        expert_name="Experte",
        expert_email="experte@exemple.org",
        token_hash=digest,
        deadline=timezone.localdate() + timedelta(days=10),
    )
    client.logout()
    url = download_url(application, document)
    assert client.get(f"{url}?avis={raw}").status_code == 200
    assert client.get(f"{url}?avis=pas-le-bon").status_code == 404
    other = Application.objects.create(
        call=application.call,
        organisation=verified_association(name="Autre", slug="autre"),
        reference="2026-AUTRE2",
    )
    other_url = reverse("fund:document_download", args=[other.reference, document.pk])
    assert client.get(f"{other_url}?avis={raw}").status_code == 404
    ExpertOpinion.objects.filter(pk=opinion.pk).update(revoked_at=timezone.now())
    assert client.get(f"{url}?avis={raw}").status_code == 404
