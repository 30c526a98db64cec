"""What the applying tests start from: an open call (a requested document, an attestation),
a verified association in its department, a member, and a diagnostic completed on the real
default questionnaire (ressourcerie/diagnostic/seed/questionnaire-v1.json)."""

import io
import json
import zipfile
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from PIL import Image

from ressourcerie.accounts.models import Role
from ressourcerie.diagnostic import engine
from ressourcerie.diagnostic import services as diagnostic_services
from ressourcerie.fund.models import Call, CallStatus, RequestedDocument, ReviewCriterion
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

SEED = Path(__file__).resolve().parents[2] / "ressourcerie/diagnostic/seed/questionnaire-v1.json"
CHECKLIST = ["J'atteste que les informations données sont exactes."]
MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def questionnaire():
    q, _outcome = diagnostic_services.load_questionnaire(
        data=json.loads(SEED.read_text(encoding="utf-8"))
    )
    return q


def complete_diagnostic(organisation, user, q=None, *, high=False, completed_at=None):
    """A completed response of the association on the default questionnaire: low answers
    give priorities and a full plan."""
    q = q or questionnaire()
    structure = engine.build_structure(q)
    response, _token = diagnostic_services.start_response(
        questionnaire=q, user=user, organisation=organisation
    )
    answers = {}
    questions = [question for axis in structure.axes for question in axis.questions]
    for question in questions:
        if question.kind == "scale":
            value = question.scale_max if high else question.scale_min
            answers[question.id] = engine.AnswerValue(value=value)
        else:
            known = [o for o in question.options if not o.is_unknown]
            answers[question.id] = engine.AnswerValue(((known[0] if high else known[-1]).id,))
    diagnostic_services.save_answers(
        response=response, structure=structure, questions=questions, answers=answers
    )
    diagnostic_services.complete_response(response=response, structure=structure)
    if completed_at is not None:
        type(response).objects.filter(pk=response.pk).update(completed_at=completed_at)
        response.refresh_from_db()
    return response


def open_call(slug="appel-numerique", departments=(), **extra) -> Call:
    today = timezone.localdate()
    values = {
        "title": "Transition numérique 2027",
        "slug": slug,
        "summary": "Un accompagnement de 2 à 5 jours.",
        "text": "Texte de l'appel.",
        "status": CallStatus.OPEN,
        "budget_euros": 10000,
        "budget_days": Decimal("20"),
        "day_value_euros": 500,
        "opens_on": today - timedelta(days=2),
        "closes_on": today + timedelta(days=30),
        "checklist": CHECKLIST,
    }
    values.update(extra)
    call = Call.objects.create(**values)
    call.departments.set(departments)
    ReviewCriterion.objects.create(call=call, title="Pertinence du projet", weight=2)
    RequestedDocument.objects.create(
        call=call, label="Budget prévisionnel", help_text="Le budget du projet.", required=True
    )
    return call


def member_of(organisation, email="membre@asso.example"):
    user = UserFactory(email=email)
    MembershipFactory(user=user, organisation=organisation, role=Role.MEMBER)
    return user


def verified_association(name="Les Jardins Partagés", slug="jardins-partages", **extra):
    return OrganisationFactory(name=name, slug=slug, verified_at=timezone.now(), **extra)


def applicant_world(*, diagnostic=True, q=None):
    """(call, association, member) with the association's diagnostic completed."""
    association = verified_association()
    call = open_call(departments=[association.commune.department])
    member = member_of(association)
    if diagnostic:
        complete_diagnostic(association, member, q)
    return call, association, member


def pdf_bytes() -> bytes:
    return MINIMAL_PDF


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 120, 40)).save(buffer, format="PNG")
    return buffer.getvalue()


def jpeg_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 120, 40)).save(buffer, format="JPEG")
    return buffer.getvalue()


def odt_bytes(mimetype=b"application/vnd.oasis.opendocument.text") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), mimetype)
        archive.writestr("content.xml", "<office:document-content/>")
        archive.writestr("META-INF/manifest.xml", "<manifest/>")
    return buffer.getvalue()


def docx_bytes(main=True) -> bytes:
    buffer = io.BytesIO()
    kind = (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
        if main
        else "application/vnd.ms-excel"
    )
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            f'<Types><Override PartName="/word/document.xml" ContentType="{kind}"/></Types>',
        )
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def _private_documents(settings, tmp_path):
    """Documents go to a temporary private folder, away from MEDIA_ROOT."""
    settings.FUND_DOCUMENTS_DIR = tmp_path / "private"
    return settings.FUND_DOCUMENTS_DIR
