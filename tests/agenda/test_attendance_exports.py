"""The organiser's attendance list as ODS (opened: zip, mimetype first, content.xml parsed),
CSV and a printable sheet; per-session registrations say their session."""

import io
import zipfile
from xml.etree import ElementTree

import pytest

from ressourcerie.agenda import per_session, services
from ressourcerie.agenda.models import Attendance
from tests.factories import UserFactory

from .factories import make_event, make_structure

pytestmark = pytest.mark.django_db
NS = {
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
}


@pytest.fixture
def world():
    structure, editor, place = make_structure()
    event = make_event(structure=structure, place=place, capacity=5, per_session=True)
    first, second = event.sessions.order_by("starts_at")
    ana = UserFactory(display_name="Ana Lopez", email="ana@asso.example")
    registration = services.register(event=event, user=ana, session=second)
    services.register(
        event=event, email="=HYPERLINK(1)@asso.example", name="=cmd|calc", session=first
    )
    services.set_attendance(event=event, actor=editor, marks={registration.pk: Attendance.PRESENT})
    return {"event": event, "editor": editor, "second": second}


def _cells(content):
    archive = zipfile.ZipFile(io.BytesIO(content))
    first = archive.infolist()[0]
    assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
    assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet"
    ElementTree.fromstring(archive.read("META-INF/manifest.xml"))  # noqa: S314 (our output)
    root = ElementTree.fromstring(archive.read("content.xml"))  # noqa: S314
    return [
        ["".join(p.itertext()) for p in row.findall("table:table-cell/text:p", NS)]
        for row in root.findall(".//table:table-row", NS)
    ]


def test_ods_opens_with_the_attendance(client, world):
    client.force_login(world["editor"])
    response = client.get(f"/agenda/{world['event'].pk}/inscrits.ods")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.oasis.opendocument.spreadsheet"
    assert "no-store" in response["Cache-Control"]
    cells = _cells(response.content)
    assert cells[0][:5] == ["Nom", "Courriel", "Association", "État", "Présence"]
    ana = next(row for row in cells if row[1] == "ana@asso.example")
    assert ana[4] == "Présent"
    assert ana[6] == per_session.session_text(world["second"])
    assert any(row[0] == "=cmd|calc" for row in cells)  # a text cell, never a formula


def test_csv_says_the_session_and_neutralises_formulas(client, world):
    client.force_login(world["editor"])
    body = client.get(f"/agenda/{world['event'].pk}/inscrits.csv").content.decode()
    assert body.splitlines()[0] == "nom,courriel,association,statut,presence,inscrit_le,seance"
    assert "'=cmd|calc" in body


def test_printable_sheet_lists_registered_people_by_session(client, world):
    client.force_login(world["editor"])
    page = client.get(f"/agenda/{world['event'].pk}/emargement/").content.decode()
    assert "Feuille d'émargement" in page and "Signature" in page
    assert "Séance du" in page and "Ana Lopez" in page


def test_exports_are_the_organisers(client, world):
    client.force_login(UserFactory())
    assert client.get(f"/agenda/{world['event'].pk}/inscrits.ods").status_code == 404
    assert client.get(f"/agenda/{world['event'].pk}/emargement/").status_code == 404
    client.logout()
    assert client.get(f"/agenda/{world['event'].pk}/inscrits.ods").status_code == 302
