"""Setups for the association's pages of the fund (tests/browser/pages.py): a draft started
from a diagnostic on the real questionnaire, a deposited dossier with a document, and the
list of one's dossiers."""

from __future__ import annotations


def _world(user):
    from ressourcerie.accounts.models import Membership, Role
    from ressourcerie.fund.services import applications
    from tests.fund.applying_setup import complete_diagnostic, open_call, verified_association

    association = verified_association()
    Membership.objects.create(user=user, organisation=association, role=Role.MEMBER)
    complete_diagnostic(association, user)
    call = open_call(departments=[association.commune.department])
    application = applications.start_application(call=call, organisation=association, actor=user)
    return application


def draft(user) -> dict:
    """A draft with its diagnostic snapshot (every plan action offered as a checkbox)."""
    return {"application": _world(user)}


def deposited(user) -> dict:
    """A dossier deposited with a PDF, then moved to "à corriger" then deposited again: the
    history, the documents and the snapshot on the dossier page."""
    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ressourcerie.fund import documents
    from ressourcerie.fund.models import ApplicationStatus as S
    from ressourcerie.fund.services import applications, applying
    from tests.factories import StaffFactory
    from tests.fund.applying_setup import CHECKLIST, pdf_bytes

    settings.FUND_DOCUMENTS_DIR = settings.MEDIA_ROOT.parent / "fund-private"
    application = _world(user)
    requested = application.call.documents.get()
    checked = documents.check_upload(
        SimpleUploadedFile("Budget prévisionnel 2027.pdf", pdf_bytes())
    )
    applying.save_draft(
        application=application,
        actor=user,
        fields={
            "project": "Passer nos outils au libre et former nos douze bénévoles.",
            "support_format": "individuel",
            "action_keys": [a["key"] for a in application.diagnostic_snapshot["actions"][:3]],
            "days_requested": "4",
            "cofunding": "Commune : 500 €",
            "checklist_ticked": CHECKLIST,
        },
        uploads=[(requested, checked)],
    )
    applying.submit_application(application=application, actor=user)
    staff = StaffFactory()
    applications.transition_application(
        application=application,
        to_status=S.TO_CORRECT,
        actor=staff,
        reason="Précisez le calendrier.",
    )
    applying.submit_application(application=application, actor=user)
    return {"application": application}


def mine(user) -> dict:
    return deposited(user)
