"""Documents are checked by what they contain: the name and the announced type mean nothing."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ressourcerie.fund import documents
from ressourcerie.fund.errors import FundError
from tests.fund.applying_setup import docx_bytes, jpeg_bytes, odt_bytes, pdf_bytes, png_bytes


def upload(name, data, content_type="application/pdf"):
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.mark.parametrize(
    "name, data, kind",
    [
        ("statuts.pdf", pdf_bytes(), documents.PDF),
        ("budget.odt", odt_bytes(), documents.ODT),
        ("budget.docx", docx_bytes(), documents.DOCX),
        ("scan.png", png_bytes(), documents.PNG),
        ("photo.jpeg", jpeg_bytes(), documents.JPEG),
        # The name does not matter: a real PDF called .txt is a PDF.
        ("mal-nomme.txt", pdf_bytes(), documents.PDF),
    ],
)
def test_accepted_documents_are_recognised_by_content(name, data, kind):
    checked = documents.check_upload(upload(name, data))
    assert checked.kind == kind
    assert checked.original_name == name
    assert checked.stored_name.endswith("." + kind.extension)
    assert name.rsplit(".", 1)[0] not in checked.stored_name


@pytest.mark.parametrize(
    "name, data",
    [
        ("faux.pdf", b"<html><script>alert(1)</script></html>"),
        ("faux.pdf", b"MZ\x90\x00 an executable renamed"),
        ("tronque.pdf", b"%PDF-1.4 no end of file marker"),
        ("faux.odt", odt_bytes(mimetype=b"application/vnd.oasis.opendocument.spreadsheet")),
        ("faux.docx", docx_bytes(main=False)),
        ("archive.docx", b"PK\x03\x04 not really a zip"),
        ("faux.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40),
        ("faux.jpg", b"\xff\xd8\xff" + b"garbage" * 10),
        ("image.gif", b"GIF89a" + b"\x00" * 20),
    ],
)
def test_fake_documents_are_refused_in_french(name, data):
    with pytest.raises(FundError, match="n'est pas un document accepté"):
        documents.check_upload(upload(name, data))


def test_an_empty_file_is_refused():
    with pytest.raises(FundError, match="est vide"):
        documents.check_upload(upload("vide.pdf", b""))


def test_an_oversized_file_is_refused_before_being_read(settings):
    settings.FUND_DOCUMENT_MAX_MB = 1
    big = pdf_bytes()[:-6] + b" " * (1024 * 1024) + b"%%EOF\n"
    with pytest.raises(FundError, match="dépasse 1 Mo"):
        documents.check_upload(upload("gros.pdf", big))


def test_an_upload_lying_about_its_size_is_still_bounded(settings):
    settings.FUND_DOCUMENT_MAX_MB = 1

    class Lying(io.BytesIO):
        name = "menteur.pdf"
        size = 10

    data = b"%PDF-1.4\n" + b"x" * (2 * 1024 * 1024) + b"\n%%EOF\n"
    with pytest.raises(FundError, match="dépasse 1 Mo"):
        documents.check_upload(Lying(data))


@pytest.mark.parametrize(
    "raw, shown",
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\moi\\budget.pdf", "budget.pdf"),
        ('bud"get<>.pdf', "budget.pdf"),
        ("", "document"),
        ("a" * 300 + ".pdf", "a" * 196 + ".pdf"),
    ],
)
def test_the_displayed_name_is_cleaned(raw, shown):
    assert documents.display_name(raw) == shown
