import csv
import io
import json
import re
from datetime import date

import pytest

from ressourcerie.directory.importers import import_file

from .conftest import CHARENTE, HINAURA, SCHEMA, SUD
from .factories import PlaceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("gazetteer")]


def validate(schema: dict, rows: list[dict]) -> list[str]:
    """Every constraint of a Frictionless Table Schema, checked on every row."""
    problems = []
    names = [f["name"] for f in schema["fields"]]
    seen: dict[str, set] = {n: set() for n in names}
    for number, row in enumerate(rows, start=2):
        if list(row) != names:
            problems.append(f"line {number}: columns {list(row)}")
            continue
        for spec in schema["fields"]:
            name, value = spec["name"], row[spec["name"]]
            c = spec.get("constraints", {})
            if value == "":
                if c.get("required"):
                    problems.append(f"line {number}: {name} required")
                continue
            if spec["type"] == "number":
                try:
                    float(value)
                except ValueError:
                    problems.append(f"line {number}: {name} not a number {value!r}")
            elif spec["type"] == "date":
                try:
                    date.fromisoformat(value)
                    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)
                except (ValueError, AssertionError):
                    problems.append(f"line {number}: {name} not a date {value!r}")
            if "pattern" in c and not re.fullmatch(c["pattern"], value):
                problems.append(f"line {number}: {name} pattern {value!r}")
            if "enum" in c and value not in c["enum"]:
                problems.append(f"line {number}: {name} enum {value!r}")
            if "maxLength" in c and len(value) > c["maxLength"]:
                problems.append(f"line {number}: {name} longer than {c['maxLength']}")
            if "minLength" in c and len(value) < c["minLength"]:
                problems.append(f"line {number}: {name} shorter than {c['minLength']}")
            if "minimum" in c and float(value) < c["minimum"]:
                problems.append(f"line {number}: {name} below minimum")
            if "maximum" in c and float(value) > c["maximum"]:
                problems.append(f"line {number}: {name} above maximum")
            if c.get("unique"):
                if value in seen[name]:
                    problems.append(f"line {number}: {name} not unique {value!r}")
                seen[name].add(value)
    return problems


@pytest.fixture
def imported():
    for path in (HINAURA, SUD, CHARENTE):
        assert import_file(data=path.read_bytes(), file_name=path.name).applied


def read_csv(client):
    response = client.get("/api/v1/places/export.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "etalab-2.0" in response["X-Licence"]
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_exported_csv_validates_against_every_constraint_of_schema_v1_0_1(client, imported):
    schema = json.loads(SCHEMA.read_text())
    assert len(schema["fields"]) == 32
    rows = read_csv(client)
    assert len(rows) > 1400
    assert validate(schema, rows) == []


def test_export_neutralises_formula_injection_and_stays_valid(client):
    PlaceFactory(
        name='=HYPERLINK("http://evil.example","clic")',
        address="@SUM(A1)",
        summary="x" * 400,
        phone="05 45 00 00 00",
        latitude=-21.1,
        longitude=55.5,
    )
    rows = read_csv(client)
    assert rows[0]["nom"].startswith("'=")
    assert rows[0]["adresse"] == "'@SUM(A1)"
    assert rows[0]["longitude"] == "55.5" and rows[0]["latitude"] == "-21.1"
    assert rows[0]["telephone"] == ""
    assert validate(json.loads(SCHEMA.read_text()), rows) == []


def test_json_and_geojson_exports_state_the_licence(client):
    PlaceFactory()
    document = client.get("/api/v1/places/export.json").json()
    assert document["licence"]["name"] == "etalab-2.0"
    assert document["data"][0]["code_postal"] == "16000"
    geo = client.get("/api/v1/places/export.geojson").json()
    assert geo["type"] == "FeatureCollection"
    assert geo["features"][0]["geometry"]["coordinates"] == [0.1562, 45.6484]


def test_exported_json_reimports_as_the_same_places(client):
    PlaceFactory(name="Fablab", slug="fablab")
    data = client.get("/api/v1/places/export.json").content
    report = import_file(data=data, file_name="export.json")
    assert report.counts["merged"] == 1
