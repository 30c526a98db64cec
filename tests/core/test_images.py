"""core.images: the one place an upload becomes a stored image (toolbox admin, testimonials)."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageFile

from ressourcerie.core.images import (
    DEFAULT_FORMATS,
    MAX_UPLOAD_BYTES,
    reencode_image,
    reencode_variants,
    validate_image,
)

WITH_GIF = DEFAULT_FORMATS | {"GIF"}


def _upload(image: Image.Image, fmt="JPEG", name=None, **save) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **save)
    return SimpleUploadedFile(name or f"image.{fmt.lower()}", buffer.getvalue())


def _photo(size=(3000, 1500), **save) -> SimpleUploadedFile:
    return _upload(Image.new("RGB", size, "navy"), **save)


def _open(content_file) -> Image.Image:
    content_file.seek(0)
    return Image.open(io.BytesIO(content_file.read()))


def _refusal(upload, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        validate_image(upload, **kwargs)
    return caught.value


# Size


def test_claimed_size_over_the_limit_is_refused_with_the_size_in_french():
    upload = _photo(size=(10, 10))
    upload.size = MAX_UPLOAD_BYTES + 1  # what the browser announced
    error = _refusal(upload)
    assert error.code == "too_big"
    # Rounded up, with a decimal comma: never "5,0 Mo : 5 Mo au maximum".
    assert error.messages == ["L'image pèse 5,1 Mo : 5 Mo au maximum."]


def test_real_size_over_the_limit_is_refused_whatever_the_upload_claims():
    upload = SimpleUploadedFile("big.png", b"\x89PNG" + b"0" * MAX_UPLOAD_BYTES)
    upload.size = 1000  # understated: only the bytes actually read count
    error = _refusal(upload)
    assert error.code == "too_big"
    assert error.messages == ["L'image pèse plus de 5 Mo : 5 Mo au maximum."]


def test_an_upload_just_at_the_limit_is_not_refused_for_its_size():
    upload = SimpleUploadedFile("x.jpg", b"0" * MAX_UPLOAD_BYTES)
    assert _refusal(upload).code == "not_image"


# Content, not name


@pytest.mark.parametrize(
    "content",
    [b"<script>alert(1)</script>", b"%PDF-1.4 not an image", b"\x89PNG\r\n\x1a\n broken", b""],
)
def test_files_that_are_not_images_are_refused_in_french(content):
    error = _refusal(SimpleUploadedFile("image.png", content))
    assert error.code == "not_image"
    assert error.messages == ["Ce fichier n'est pas une image JPEG, PNG ou WebP."]


def test_a_text_file_renamed_jpg_is_refused():
    upload = SimpleUploadedFile("photo.jpg", b"<?php echo 1; ?>", content_type="image/jpeg")
    with pytest.raises(ValidationError, match="n'est pas une image") as caught:
        reencode_image(upload)
    assert caught.value.code == "not_image"


def test_a_truncated_image_is_refused():
    data = _photo().read()[:200]
    assert _refusal(SimpleUploadedFile("a.jpg", data)).code == "not_image"


# Decompression bombs


def test_decompression_bomb_is_refused_before_decoding(monkeypatch):
    bomb = _upload(Image.new("1", (9000, 9000)), "PNG")
    assert bomb.size < 100_000  # a tiny file that would unpack to 81 million pixels

    def no_decoding(self):
        raise AssertionError("decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decoding)
    error = _refusal(bomb)
    assert error.code == "too_many_pixels"
    assert "trop grande" in error.messages[0]
    assert "16 millions de pixels au plus" in error.messages[0]


def test_a_bomb_beyond_pillows_own_limit_gets_the_same_message():
    bomb = _upload(Image.new("1", (20000, 20000)), "PNG")
    error = _refusal(bomb)
    assert error.code == "too_many_pixels"
    assert error.messages == ["L'image est trop grande : 16 millions de pixels au plus."]


# Formats


def test_gif_is_refused_by_default_and_accepted_where_asked_for():
    gif = _upload(Image.new("RGB", (10, 10), "red"), "GIF")
    assert _refusal(gif).messages == ["Ce fichier n'est pas une image JPEG, PNG ou WebP."]
    assert _open(reencode_image(gif, formats=WITH_GIF)).format == "WEBP"


def test_the_refusal_names_the_formats_accepted_there():
    error = _refusal(SimpleUploadedFile("a.txt", b"text"), formats=WITH_GIF)
    assert error.messages == ["Ce fichier n'est pas une image JPEG, PNG, WebP ou GIF."]


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_default_formats_are_reencoded_as_webp(fmt):
    result = reencode_image(_upload(Image.new("RGB", (40, 30), "green"), fmt), name="x")
    assert result.name == "x.webp"
    assert _open(result).format == "WEBP"


# Re-encoding


def test_image_is_resized_reencoded_and_stripped_of_metadata():
    exif = Image.Exif()
    exif[0x010F] = "Appareil photo"  # Make
    exif[0x8825] = {2: (47.0, 13.0, 0.0), 4: (1.0, 33.0, 0.0)}  # GPS latitude, longitude
    upload = _photo(exif=exif.tobytes())
    upload.seek(0)
    assert Image.open(upload).getexif().get_ifd(0x8825)  # the test file does carry a position

    image = _open(reencode_image(upload, max_side=1600))
    assert image.format == "WEBP"
    assert image.size == (1600, 800)
    assert not image.getexif()
    assert not {"exif", "xmp", "icc_profile"} & set(image.info)


def test_orientation_from_exif_is_applied():
    stored = Image.new("RGB", (300, 100), "red")
    stored.paste((0, 0, 255), (150, 0, 300, 100))  # left half red, right half blue
    exif = Image.Exif()
    exif[0x0112] = 6  # shown rotated 90° clockwise: the left of the file is the top
    image = _open(reencode_image(_upload(stored, exif=exif.tobytes())))
    assert image.size == (100, 300)
    top, bottom = image.getpixel((50, 20)), image.getpixel((50, 280))
    assert top[0] > 200 and top[2] < 60
    assert bottom[2] > 200 and bottom[0] < 60


def test_palette_png_keeps_its_transparency():
    palette = Image.new("P", (20, 20), 0)
    palette.putpalette([255, 255, 255, 200, 0, 0] + [0] * 762)
    palette.paste(1, (0, 0, 10, 20))  # left half red, right half transparent
    image = _open(reencode_image(_upload(palette, "PNG", transparency=0)))
    assert image.mode == "RGBA"
    assert image.getpixel((15, 10))[3] == 0
    assert image.getpixel((3, 10))[3] == 255


def test_gif_transparency_is_kept_too():
    gif = Image.new("P", (20, 20), 0)
    gif.putpalette([0, 0, 0, 0, 128, 0] + [0] * 762)
    gif.paste(1, (0, 0, 10, 20))
    image = _open(reencode_image(_upload(gif, "GIF", transparency=0), formats=WITH_GIF))
    assert image.getpixel((15, 10))[3] == 0


def test_variants_respect_their_sizes_and_share_a_random_name():
    exif = Image.Exif()
    exif[0x8825] = {2: (47.0, 13.0, 0.0)}  # GPS latitude
    upload = _photo(size=(2400, 1200), exif=exif.tobytes())
    variants = reencode_variants(upload, {"full": 1600, "thumbnail": 720})
    assert _open(variants["full"]).size == (1600, 800)
    assert _open(variants["thumbnail"]).size == (720, 360)
    assert not any(_open(v).getexif() for v in variants.values())
    stem = variants["full"].name.removesuffix("-full.webp")
    assert len(stem) == 32 and variants["thumbnail"].name == f"{stem}-thumbnail.webp"
    upload.seek(0)
    assert reencode_variants(upload, {"a": 100})["a"].name != f"{stem}-a.webp"


def test_small_images_are_not_enlarged():
    variants = reencode_variants(_photo(size=(300, 200)), {"full": 1600}, name="n")
    assert _open(variants["full"]).size == (300, 200)
    assert variants["full"].name == "n-full.webp"


def test_validation_leaves_the_upload_ready_to_be_read_again():
    upload = _photo(size=(50, 50))
    validate_image(upload)
    assert upload.tell() == 0
    assert _open(reencode_image(upload)).size == (50, 50)


# Bounded memory (issue #12, F10; figures in bench/images.py)


def _decoded_sizes(monkeypatch) -> list:
    """The sizes at which Pillow actually decodes pixels, recorded as it loads them."""
    sizes = []
    load = ImageFile.ImageFile.load

    def recording_load(self):
        if self.tile:  # still to decode
            sizes.append(self.size)
        return load(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", recording_load)
    return sizes


def test_the_reviews_one_bit_bomb_is_refused_before_decoding(monkeypatch):
    bomb = _upload(Image.new("1", (6300, 6300)), "PNG", optimize=True)
    assert bomb.size < 6_000  # 4.9 KB that unpack to 39.7 million pixels
    decoded = _decoded_sizes(monkeypatch)
    error = _refusal(bomb)
    assert error.code == "too_many_pixels"
    assert "16 millions de pixels au plus" in error.messages[0]
    assert decoded == []


def test_a_large_jpeg_is_decoded_at_a_reduced_scale(monkeypatch):
    upload = _photo(size=(4000, 4000), quality=85)
    decoded = _decoded_sizes(monkeypatch)
    variants = reencode_variants(upload, {"full": 1600, "thumbnail": 720})
    assert decoded == [(2000, 2000)]  # DCT scaling by 2: a quarter of the pixels
    assert _open(variants["full"]).size == (1600, 1600)
    assert _open(variants["thumbnail"]).size == (720, 720)


def test_a_wide_jpeg_is_reduced_by_its_long_side(monkeypatch):
    upload = _photo(size=(6000, 2600), quality=85)
    decoded = _decoded_sizes(monkeypatch)
    variants = reencode_variants(upload, {"full": 1600})
    assert decoded == [(3000, 1300)]
    assert _open(variants["full"]).size == (1600, 693)


def test_validation_alone_decodes_a_jpeg_at_its_smallest_scale(monkeypatch):
    upload = _photo(size=(4000, 3000), quality=85)
    decoded = _decoded_sizes(monkeypatch)
    validate_image(upload)
    assert decoded == [(500, 375)]


def test_a_one_bit_png_at_the_limit_is_still_accepted_and_shrunk():
    upload = _upload(Image.new("1", (4000, 4000), 1), "PNG")
    variants = reencode_variants(upload, {"full": 1600, "thumbnail": 720})
    full = _open(variants["full"])
    assert full.size == (1600, 1600)
    assert full.convert("RGB").getpixel((800, 800)) == (255, 255, 255)
