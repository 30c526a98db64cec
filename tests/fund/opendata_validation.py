"""Validate a CSV export against a schema of tests/fixtures/fund/ with frictionless (5 refuses
absolute paths: the file is given by name with its directory as basepath)."""

import json
from pathlib import Path

from frictionless import Resource, Schema

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "fund"


def validate(body: str, schema_name: str, tmp_path) -> list[str]:
    """The errors frictionless finds, one line each (empty: valid)."""
    (tmp_path / "export.csv").write_text(body, encoding="utf-8")
    schema = Schema.from_descriptor(json.loads((FIXTURES / schema_name).read_text("utf-8")))
    report = Resource(path="export.csv", basepath=str(tmp_path), schema=schema).validate()
    return [f"{error.type}: {error.message}" for task in report.tasks for error in task.errors] + [
        f"{error.type}: {error.message}" for error in report.errors
    ]
