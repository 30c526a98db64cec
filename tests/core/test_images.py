import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from ressourcerie.core.images import reencode_image


def _png(width, height):
    buffer = io.BytesIO()
    image = Image.new("RGB", (width, height), "navy")
    exif = Image.Exif()
    exif[0x010F] = "Appareil photo"  # Make
    image.save(buffer, format="JPEG", exif=exif)
    return SimpleUploadedFile("photo.jpg", buffer.getvalue(), content_type="image/jpeg")


def test_image_is_resized_reencoded_and_stripped_of_metadata():
    result = reencode_image(_png(3000, 1500), max_side=1600)
    image = Image.open(io.BytesIO(result.read()))
    assert image.format == "WEBP"
    assert image.size == (1600, 800)
    assert not image.getexif()


@pytest.mark.parametrize(
    "content",
    [b"<script>alert(1)</script>", b"%PDF-1.4 not an image", b"\x89PNG\r\n\x1a\n broken"],
)
def test_files_that_are_not_images_are_refused_in_french(content):
    upload = SimpleUploadedFile("image.png", content, content_type="image/png")
    with pytest.raises(ValidationError, match="pas une image"):
        reencode_image(upload)


def test_oversized_upload_is_refused():
    upload = SimpleUploadedFile("big.jpg", b"0" * (5 * 1024 * 1024 + 1), content_type="image/jpeg")
    with pytest.raises(ValidationError, match="5 Mo"):
        reencode_image(upload)


def test_decompression_bomb_is_refused_before_decoding():
    buffer = io.BytesIO()
    Image.new("1", (9000, 9000)).save(buffer, format="PNG")
    upload = SimpleUploadedFile("b.png", buffer.getvalue(), content_type="image/png")
    with pytest.raises(ValidationError, match="trop grande"):
        reencode_image(upload)
