"""Uploaded images: checked by content (Pillow), size-limited, re-encoded without metadata."""

import io
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000  # refuse decompression bombs well before Pillow's own limit
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}
FULL_SIZE = 1600
THUMBNAIL_SIZE = 720
QUALITY = 78


def _open_checked(upload) -> Image.Image:
    if upload.size > MAX_BYTES:
        raise ValidationError(
            _("L'image pèse %(size)s Mo : 5 Mo au maximum."),
            params={"size": f"{upload.size / 1024 / 1024:.1f}".replace(".", ",")},
            code="too_big",
        )
    not_image = ValidationError(
        _("Ce fichier n'est pas une image JPEG, PNG ou WebP."), code="not_image"
    )
    try:
        upload.seek(0)
        probe = Image.open(upload)
        if probe.format not in ACCEPTED_FORMATS:
            raise not_image
        if probe.width * probe.height > MAX_PIXELS:
            raise ValidationError(_("L'image est trop grande (40 millions de pixels au plus)."))
        probe.verify()  # checks the file's structure; the object is unusable afterwards
        upload.seek(0)
        image = Image.open(upload)
        image.load()
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise not_image from None
    return image


def _encode(image: Image.Image, size: int) -> bytes:
    copy = image.copy()
    copy.thumbnail((size, size), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    # A fresh encode writes no EXIF, XMP or ICC metadata (no location, no camera).
    copy.save(buffer, format="WEBP", quality=QUALITY, method=4)
    return buffer.getvalue()


def prepare(upload) -> tuple[ContentFile, ContentFile]:
    """The full image (≤1600 px) and the thumbnail (≤720 px), both WebP, from an upload;
    raises ValidationError with a French message for anything else."""
    image = _open_checked(upload)
    image = ImageOps.exif_transpose(image)  # keep the orientation the camera meant
    if image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
    name = uuid.uuid4().hex
    return (
        ContentFile(_encode(image, FULL_SIZE), name=f"{name}.webp"),
        ContentFile(_encode(image, THUMBNAIL_SIZE), name=f"{name}-720.webp"),
    )


def validate(upload) -> None:
    """Form-level check (no encoding): raises ValidationError with a French message."""
    _open_checked(upload)
    upload.seek(0)
