"""The support fund's instruction objects of the access world (tests/access_world.py; the
applying family's live in tests/fund/access_applying.py): a call and a decided dossier of the
owner's association, routed to a group none of the roles belongs to, with a message."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from ressourcerie.fund.models import (
    Application,
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


def fund_objects(association, owner) -> dict:
    today = timezone.localdate()
    call = Call.objects.create(
        title="Appel de la matrice",
        slug="appel-matrice",
        summary="Un appel",
        text="Texte",
        status=CallStatus.OPEN,
        budget_euros=10000,
        budget_days=Decimal("20"),
        day_value_euros=500,
        opens_on=today - timedelta(days=1),
        closes_on=today + timedelta(days=30),
    )
    ReviewCriterion.objects.create(call=call, title="Pertinence", weight=1)
    group = ReviewerGroup.objects.create(name="Groupe de la matrice")
    application = Application.objects.create(
        call=call,
        organisation=association,
        reference="2026-DECIDE",
        status=ApplicationStatus.REFUSED,
        created_by=owner,
        project="Projet de la matrice",
        submitted_at=timezone.now(),
        decided_at=timezone.now(),
        decision_reason="Hors champ",
        group=group,
    )
    message = Message.objects.create(
        application=application, author=owner, body="Message de l'association"
    )
    return {"fund_decided_call": call, "fund_decided": application, "fund_message": message}


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
