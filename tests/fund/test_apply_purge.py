"""Documents of refused, without-follow-up and withdrawn dossiers are deleted
FUND_DOCUMENT_RETENTION_YEARS after the decision; accepted ones and recent ones stay."""

from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from ressourcerie.fund.models import (
    Application,
    ApplicationDocument,
    ApplicationStatus,
    ApplicationTransition,
)
from tests.factories import OrganisationFactory
from tests.fund.applying_setup import _private_documents, open_call  # noqa: F401

pytestmark = pytest.mark.django_db
S = ApplicationStatus


def dossier(call, status, *, ended_years_ago, name):
    ended = timezone.now() - timedelta(days=365 * ended_years_ago + 2)
    application = Application.objects.create(
        call=call,
        organisation=OrganisationFactory(name=name),
        reference=f"2020-{name[:6].upper():A<6}",
        status=status,
        decided_at=ended if status != S.WITHDRAWN else None,
    )
    record = ApplicationTransition.objects.create(
        application=application, from_status=S.IN_REVIEW, to_status=status
    )
    ApplicationTransition.objects.filter(pk=record.pk).update(at=ended)
    document = ApplicationDocument(
        application=application, original_name="statuts.pdf", content_type="application/pdf", size=4
    )
    document.file.save("abc.pdf", ContentFile(b"%PDF"), save=True)
    return application, Path(document.file.path)


def test_documents_are_purged_after_the_retention_period(
    settings, django_capture_on_commit_callbacks
):
    settings.FUND_DOCUMENT_RETENTION_YEARS = 5
    call = open_call()
    old_refused, old_refused_file = dossier(call, S.REFUSED, ended_years_ago=6, name="Refusee")
    old_withdrawn, old_withdrawn_file = dossier(
        call, S.WITHDRAWN, ended_years_ago=6, name="Retiree"
    )
    recent, recent_file = dossier(call, S.WITHOUT_FOLLOW_UP, ended_years_ago=4, name="Recente")
    accepted, accepted_file = dossier(call, S.ACCEPTED, ended_years_ago=8, name="Acceptee")

    dry = StringIO()
    call_command("purge_fund_documents", "--dry-run", stdout=dry)
    assert "2 dossier(s)" in dry.getvalue() and old_refused_file.exists()

    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_fund_documents", stdout=out)
    assert "2 fichier(s) supprimé(s) dans 2 dossier(s)" in out.getvalue()
    for application, path in ((old_refused, old_refused_file), (old_withdrawn, old_withdrawn_file)):
        application.refresh_from_db()
        assert application.documents_purged_at is not None
        assert not application.documents.exists() and not path.exists()
    for application, path in ((recent, recent_file), (accepted, accepted_file)):
        application.refresh_from_db()
        assert application.documents_purged_at is None and path.exists()
    # Run again: nothing left to do.
    again = StringIO()
    call_command("purge_fund_documents", stdout=again)
    assert "0 fichier(s)" in again.getvalue()


@pytest.mark.parametrize(
    ("years", "said"), [(5, "supprimées 5 ans après"), (1, "supprimées 1 an après")]
)
def test_the_privacy_page_states_the_retention_the_settings_apply(client, settings, years, said):
    settings.FUND_DOCUMENT_RETENTION_YEARS = years
    html = client.get("/confidentialite/").content.decode()
    assert said in html
