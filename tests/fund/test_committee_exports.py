"""The team's exports of a call's dossiers with all scores: CSV with neutralised formulas,
and an ODS that parses back as an OpenDocument spreadsheet."""

import csv
import io
import zipfile
from xml.etree import ElementTree

import pytest
from django.urls import reverse

from ressourcerie.fund.services import instruction as services
from tests.factories import StaffFactory
from tests.fund import instruction_setup as setup

pytestmark = pytest.mark.django_db
NS = {
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
}


@pytest.fixture
def world():
    loire = setup.department()
    place = setup.commune(loire, insee="44001", name="Petitbourg", population=900)
    group = setup.group_for_department(loire)
    call = setup.make_call(departments=[loire])
    organisation, member = setup.applicant('=HYPERLINK("x") & Cie', place)
    application = setup.submit(call, organisation, member)
    reviewer = setup.reviewer(group)
    criteria = list(call.criteria.all())
    services.save_review(
        application=application,
        reviewer=reviewer,
        scores={criteria[0].pk: 5, criteria[1].pk: 2},
        recommendation="reserve",
        submit=True,
    )
    return {"call": call, "application": application}


def test_csv_has_the_scores_and_no_formula(client, world):
    client.force_login(StaffFactory())
    response = client.get(reverse("fund:applications_csv"), {"call": world["call"].pk})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    header, row = rows
    values = dict(zip(header, row, strict=True))
    assert values["association"].startswith("'=HYPERLINK")
    assert values["note pondérée (sur 5)"] == "4.00"
    assert values["moyenne : Pertinence du projet"] == "5.00"
    assert "Pertinence du projet 5/5, Faisabilité 2/5 — Réservé" in values["détail des évaluations"]
    assert values["état Démarches simplifiées"] == "en_construction"


def test_ods_opens_as_a_spreadsheet(client, world):
    client.force_login(StaffFactory())
    response = client.get(reverse("fund:applications_ods"), {"call": world["call"].pk})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.oasis.opendocument.spreadsheet"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    first = archive.infolist()[0]
    assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
    assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet"
    ElementTree.fromstring(archive.read("META-INF/manifest.xml"))  # noqa: S314 (our own output)
    content = ElementTree.fromstring(archive.read("content.xml"))  # noqa: S314
    rows = content.findall(".//table:table-row", NS)
    cells = [
        ["".join(p.itertext()) for p in row.findall("table:table-cell/text:p", NS)] for row in rows
    ]
    assert cells[0][0] == "numéro" and cells[1][0] == world["application"].reference
    assert '=HYPERLINK("x") & Cie' in cells[1]  # a text cell: never evaluated


def test_exports_are_the_teams(client, world):
    client.force_login(setup.reviewer(world["application"].group))
    assert client.get(reverse("fund:applications_csv")).status_code == 403
    assert client.get(reverse("fund:applications_ods")).status_code == 403
