"""The fund objects of the access matrix's world (tests/access_world.py) that the applying
pages name: an open call, and the owner's association's deposited dossier with a document."""

from datetime import timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from ressourcerie.fund.models import (
    Application,
    ApplicationDocument,
    ApplicationStatus,
    Call,
    CallStatus,
)

PDF = b"%PDF-1.4\ntrailer<<>>\n%%EOF\n"


def applying_objects(owner, association) -> dict:
    today = timezone.localdate()
    call = Call.objects.create(
        title="Appel de la matrice",
        slug="appel-matrice-depot",
        summary="Un appel ouvert.",
        text="Texte.",
        status=CallStatus.OPEN,
        budget_euros=10000,
        budget_days=Decimal("20"),
        day_value_euros=500,
        opens_on=today - timedelta(days=1),
        closes_on=today + timedelta(days=30),
    )
    application = Application.objects.create(
        call=call,
        organisation=association,
        reference="2026-MATRIC",
        status=ApplicationStatus.SUBMITTED,
        created_by=owner,
        project="Un projet.",
        submitted_at=timezone.now(),
    )
    document = ApplicationDocument(
        application=application,
        original_name="statuts.pdf",
        content_type="application/pdf",
        size=len(PDF),
        uploaded_by=owner,
    )
    document.file.save("matrice.pdf", ContentFile(PDF), save=True)
    return {"fund_call": call, "fund_application": application, "fund_document": document}
