"""Documents of a dossier: checked by what they contain, never by their name or the type the
browser claims, and size-limited before anything is read.

Accepted: PDF (``%PDF-`` header), ODT (a zip whose first entry ``mimetype`` says
``application/vnd.oasis.opendocument.text``), DOCX (a zip whose ``[Content_Types].xml``
declares a Word document and which holds ``word/document.xml``), PNG and JPEG (opened and
verified by Pillow, pixels bounded). Images are kept as sent, not re-encoded: a scanned
statute is evidence, and it is never shown inline (downloads are attachments with
``nosniff``). The stored name is random; the person's file name is kept only for display.
"""

import io
import re
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from ressourcerie.core.images import MAX_PIXELS

from .errors import FundError

ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
DOCX_MAIN = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


@dataclass(frozen=True)
class Kind:
    extension: str
    content_type: str
    label: str


PDF = Kind("pdf", "application/pdf", "PDF")
ODT = Kind("odt", "application/vnd.oasis.opendocument.text", "ODT")
DOCX = Kind(
    "docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "DOCX",
)
PNG = Kind("png", "image/png", "PNG")
JPEG = Kind("jpg", "image/jpeg", "JPEG")
ACCEPTED_LABELS = "PDF, ODT, DOCX, PNG ou JPEG"


def max_bytes() -> int:
    return settings.FUND_DOCUMENT_MAX_MB * 1024 * 1024


def _refused(name: str) -> FundError:
    return FundError(
        _(
            "« %(name)s » n'est pas un document accepté : envoyez un fichier %(kinds)s "
            "(le contenu du fichier est vérifié, pas seulement son nom)."
        )
        % {"name": name, "kinds": ACCEPTED_LABELS}
    )


def _zip_kind(data: bytes) -> Kind | None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = archive.namelist()
        if names and names[0] == "mimetype":
            if archive.read("mimetype").strip() == ODT_MIMETYPE and "content.xml" in names:
                return ODT
            return None
        if (
            "[Content_Types].xml" in names
            and "word/document.xml" in names
            and DOCX_MAIN in archive.read("[Content_Types].xml")
        ):
            return DOCX
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, OSError, ValueError):
        return None
    return None


def _image_kind(data: bytes) -> Kind | None:
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format not in ("PNG", "JPEG"):
                return None
            width, height = image.size
            if width * height > MAX_PIXELS:
                return None
            kind = PNG if image.format == "PNG" else JPEG
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, TypeError, IndexError):
        return None
    return kind


def sniff(data: bytes) -> Kind | None:
    """The kind of document ``data`` is, from its content, or None."""
    if data.startswith(b"%PDF-") and b"%%EOF" in data[-2048:]:
        return PDF
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    if data.startswith(b"\x89PNG\r\n\x1a\n") or data.startswith(b"\xff\xd8\xff"):
        return _image_kind(data)
    return None


def display_name(name: str) -> str:
    """The person's file name, kept for display only: no path, no control character,
    at most 200 characters (the extension kept)."""
    name = unicodedata.normalize("NFC", str(name or "")).replace("\\", "/").rsplit("/", 1)[-1]
    name = re.sub(r"[\x00-\x1f\x7f\"<>|:*?]", "", name).strip(" .")
    if not name:
        return _("document")
    if len(name) > 200:
        stem, dot, extension = name.rpartition(".")
        name = (stem[: 199 - len(extension)] + dot + extension) if dot else name[:200]
    return name


@dataclass(frozen=True)
class Checked:
    data: bytes
    kind: Kind
    original_name: str
    stored_name: str

    @property
    def size(self) -> int:
        return len(self.data)


def check_upload(upload) -> Checked:
    """Reads an uploaded file (at most the size limit plus one byte) and returns what to
    store, or raises FundError with a French message."""
    name = display_name(getattr(upload, "name", ""))
    limit = max_bytes()
    declared = getattr(upload, "size", None)
    if declared is not None and declared > limit:
        raise _too_big(name)
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise _too_big(name)
    if not data:
        raise FundError(_("« %(name)s » est vide.") % {"name": name})
    kind = sniff(data)
    if kind is None:
        raise _refused(name)
    return Checked(
        data=data,
        kind=kind,
        original_name=name,
        stored_name=f"{uuid.uuid4().hex}.{kind.extension}",
    )


def _too_big(name: str) -> FundError:
    return FundError(
        _(
            "« %(name)s » dépasse %(max)s Mo : réduisez-le (export PDF compressé, image moins grande)."
        )
        % {"name": name, "max": settings.FUND_DOCUMENT_MAX_MB}
    )
