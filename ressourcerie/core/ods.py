"""The platform's one OpenDocument spreadsheet (ODS) writer, for the exports people open in
LibreOffice or a spreadsheet of their choice: a zip holding ``mimetype`` (first, stored),
the manifest and ``content.xml``. Integers are numbers; everything else is text, never a
formula (a string cell is not evaluated)."""

import io
import re
import zipfile
from xml.sax.saxutils import escape

from django.http import HttpResponse

# Control characters XML 1.0 refuses (a pasted text may hold some).
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
ODS_MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"
SHEET_NAME_MAX = 31  # spreadsheet programs cut longer sheet names

MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" \
manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/" manifest:version="1.2" \
manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>
"""

CONTENT_START = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" \
xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" \
xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">
<office:body><office:spreadsheet><table:table table:name="{name}">"""
CONTENT_END = "</table:table></office:spreadsheet></office:body></office:document-content>"


def _cell(value) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return (
            f'<table:table-cell office:value-type="float" office:value="{value}">'
            f"<text:p>{value}</text:p></table:table-cell>"
        )
    content = escape(XML_FORBIDDEN.sub("", "" if value is None else str(value)))
    return f'<table:table-cell office:value-type="string"><text:p>{content}</text:p></table:table-cell>'


def to_ods(header, rows, *, sheet: str) -> bytes:
    """A one-sheet ODS of ``header`` then ``rows``."""
    name = escape(XML_FORBIDDEN.sub("", sheet)[:SHEET_NAME_MAX], {'"': "&quot;"})
    parts = [CONTENT_START.format(name=name)]
    for row in [header, *rows]:
        parts.append("<table:table-row>" + "".join(_cell(v) for v in row) + "</table:table-row>")
    parts.append(CONTENT_END)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"), ODS_MIMETYPE, compress_type=zipfile.ZIP_STORED
        )
        archive.writestr("META-INF/manifest.xml", MANIFEST, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", "".join(parts), compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def ods_response(header, rows, *, sheet: str, filename: str) -> HttpResponse:
    """The spreadsheet as a download (``filename`` without its extension); never cached,
    since exports hold personal data."""
    response = HttpResponse(to_ods(header, rows, sheet=sheet), content_type=ODS_MIMETYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.ods"'
    response["Cache-Control"] = "no-store"
    return response
