"""The support fund's objects of the access world (tests/access_world.py), all made here with
one call builder:

- ``fund_call``: an open call with a review criterion (its public page, the team's pages,
  the committee), and on it the owner's association's deposited dossier
  ``fund_application`` with a document ``fund_document`` (the applying pages);
- ``fund_decided``: a refused dossier of the same association, routed to a group none of
  the roles belongs to (reviewers are strangers to it), with a message ``fund_message``
  (the instruction pages). It lies on a second call, ``fund_decided_call``: an association
  has one live dossier per call (``fund_one_application_per_call``).
"""

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
    Message,
    Provider,
    ReviewCriterion,
    ReviewerGroup,
    Support,
    SupportStatus,
)

PDF = b"%PDF-1.4\ntrailer<<>>\n%%EOF\n"


def _open_call(slug: str) -> Call:
    today = timezone.localdate()
    call = Call.objects.create(
        title="Appel de la matrice",
        slug=slug,
        summary="Un appel ouvert.",
        text="Texte.",
        status=CallStatus.OPEN,
        budget_euros=10000,
        budget_days=Decimal("20"),
        day_value_euros=500,
        opens_on=today - timedelta(days=1),
        closes_on=today + timedelta(days=30),
    )
    ReviewCriterion.objects.create(call=call, title="Pertinence", weight=1)
    return call


def fund_objects(association, owner) -> dict:
    call = _open_call("appel-matrice-depot")
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

    decided_call = _open_call("appel-matrice")
    decided = Application.objects.create(
        call=decided_call,
        organisation=association,
        reference="2026-DECIDE",
        status=ApplicationStatus.REFUSED,
        created_by=owner,
        project="Projet de la matrice",
        submitted_at=timezone.now(),
        decided_at=timezone.now(),
        decision_reason="Hors champ",
        group=ReviewerGroup.objects.create(name="Groupe de la matrice"),
    )
    message = Message.objects.create(
        application=decided, author=owner, body="Message de l'association"
    )
    return {
        "fund_call": call,
        "fund_application": application,
        "fund_document": document,
        "fund_decided_call": decided_call,
        "fund_decided": decided,
        "fund_message": message,
    }


def support_objects(association, structure, owner) -> dict:
    """Part 2: an accepted dossier of the owner's association (in a call of its own) whose
    support is assigned to the owner's support structure (an approved provider)."""
    today = timezone.localdate()
    call = Call.objects.create(
        title="Appel accompagné de la matrice",
        slug="appel-accompagne-matrice",
        summary="Un appel",
        text="Texte",
        status=CallStatus.CLOSED,
        budget_euros=10000,
        budget_days=Decimal("20"),
        day_value_euros=500,
        opens_on=today - timedelta(days=60),
        closes_on=today - timedelta(days=30),
    )
    application = Application.objects.create(
        call=call,
        organisation=association,
        reference="2026-ACCOMP",
        status=ApplicationStatus.ACCEPTED,
        created_by=owner,
        project="Projet accompagné de la matrice",
        submitted_at=timezone.now(),
        decided_at=timezone.now(),
        days_granted=Decimal("4"),
    )
    provider = Provider.objects.create(organisation=structure, days_per_quarter=Decimal("10"))
    support = Support.objects.create(
        application=application,
        status=SupportStatus.ASSIGNED,
        days_granted=Decimal("4"),
        actor=structure,
        assigned_at=timezone.now(),
        starts_on=timezone.localdate(),
    )
    return {"fund_support": support, "fund_provider": provider}
