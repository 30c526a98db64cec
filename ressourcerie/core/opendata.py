"""What every open-data file of the platform shares: its licence, and the response that
serves a list of records as CSV or JSON (schemas in docs/opendata.md)."""

import csv
import io
import json

from django.http import Http404, HttpResponse

from .csvcells import safe_cell

# Licence Ouverte 2.0: the identifier the files carry, and the description data portals read
# (the places' files publish it whole, as the national standard does).
LICENCE_ID = "etalab-2.0"
LICENCE = {
    "name": LICENCE_ID,
    "title": "Licence Ouverte 2.0",
    "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence",
}

FORMATS = ("csv", "json")


def records_response(fmt: str, *, name: str, schema: str, columns, records) -> HttpResponse:
    """``records`` (dicts) as the download ``<name>.csv`` (a header row of ``columns``, then
    each record's cells, never a spreadsheet formula) or ``<name>.json`` (the licence, the
    schema and the records under ``name``); 404 for another format."""
    if fmt == "json":
        body = json.dumps(
            {"licence": LICENCE_ID, "schema": schema, name: records},
            ensure_ascii=False,
            indent=1,
        )
        return _download(body, "application/json; charset=utf-8", f"{name}.json")
    if fmt != "csv":
        raise Http404
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for record in records:
        writer.writerow([safe_cell(record[c]) for c in columns])
    return _download(buffer.getvalue(), "text/csv; charset=utf-8", f"{name}.csv")


def _download(body: str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
