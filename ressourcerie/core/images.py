"""Uploaded images: checked by content (not by name), size-limited, re-encoded and resized.

The one place where an upload becomes an image the site stores. Re-encoding to WebP drops
metadata (EXIF with the GPS position and the camera, XMP, ICC) and anything hidden in the
file; only pixels go through.
"""

import contextlib
import io
import math
import struct
import uuid
import warnings
from collections.abc import Collection

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# Decompression bombs: refuse anything beyond this many pixels before decoding it (well below
# Pillow's own limit, which only warns at first). The pages show 1600 px at most; 16 million
# pixels is a 16-megapixel phone photo, and bounds what one decode may take (64 MB as RGBA).
MAX_PIXELS = 16_000_000
# Photos and illustrations. GIF is for places that asked for it (tool logos).
DEFAULT_FORMATS = frozenset({"JPEG", "PNG", "WEBP"})
WEBP_QUALITY = 78  # sobriety: indistinguishable from 90 on a photo, a third lighter

# How a format is named to people, in the order it is listed to them.
_FORMAT_LABELS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP", "GIF": "GIF"}

_UNREADABLE = (
    UnidentifiedImageError,
    OSError,
    SyntaxError,
    ValueError,
    TypeError,
    IndexError,
    struct.error,
)  # what Pillow raises on a damaged or hostile file, depending on the format


def validate_image(upload, *, formats: Collection[str] = DEFAULT_FORMATS) -> None:
    """Form-level check, no encoding: raises ValidationError with a French message."""
    _open_checked(upload, formats, max_side=1)  # a JPEG is decoded at its smallest scale
    upload.seek(0)


def reencode_image(
    upload,
    *,
    max_side: int = 1600,
    name: str = "image",
    formats: Collection[str] = DEFAULT_FORMATS,
) -> ContentFile:
    """A clean WebP copy of an upload, at most ``max_side`` pixels wide or high."""
    image = _prepare(_open_checked(upload, formats, max_side=max_side), max_side)
    return ContentFile(_encode(image, max_side), name=f"{name}.webp")


def reencode_variants(
    upload,
    sizes: dict[str, int],
    *,
    name: str | None = None,
    formats: Collection[str] = DEFAULT_FORMATS,
) -> dict[str, ContentFile]:
    """Clean WebP copies of an upload, decoded once: one per ``sizes`` entry (variant name:
    largest side in pixels), named ``<name>-<variant>.webp``, ``name`` random by default."""
    largest = max(sizes.values(), default=1)
    image = _prepare(_open_checked(upload, formats, max_side=largest), largest)
    stem = name or uuid.uuid4().hex
    return {
        key: ContentFile(_encode(image, max_side), name=f"{stem}-{key}.webp")
        for key, max_side in sizes.items()
    }


def _open_checked(upload, formats: Collection[str], *, max_side: int) -> Image.Image:
    """The decoded image, or ValidationError: too heavy, not an accepted image, too many
    pixels. Nothing is decoded before the size and pixel count are known to be acceptable,
    and a JPEG is decoded no larger than needed for ``max_side`` (``_draft``)."""
    data = _read_bounded(upload)
    not_image = ValidationError(
        _("Ce fichier n'est pas une image %(formats)s."),
        params={"formats": _list_formats(formats)},
        code="not_image",
    )
    try:
        with warnings.catch_warnings():
            # Pillow warns above its own limit; ours is lower and checked just below.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format not in formats:
                    raise not_image
                _check_pixels(*probe.size)
                probe.verify()  # the file's structure; the object is unusable afterwards
            image = Image.open(io.BytesIO(data))
            _draft(image, max_side)
            image.load()
    except ValidationError:
        raise
    except Image.DecompressionBombError:
        raise ValidationError(
            _("L'image est trop grande : %(max)s millions de pixels au plus."),
            params={"max": MAX_PIXELS // 1_000_000},
            code="too_many_pixels",
        ) from None
    except _UNREADABLE:
        raise not_image from None
    return image


def _read_bounded(upload) -> bytes:
    """The upload's bytes, refused above the limit whatever size the upload claims."""
    claimed = getattr(upload, "size", None)
    if claimed is not None and claimed > MAX_UPLOAD_BYTES:
        raise _too_big(claimed)
    upload.seek(0)
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise _too_big(None)
    return data


def _too_big(size: int | None) -> ValidationError:
    limit = MAX_UPLOAD_BYTES // (1024 * 1024)
    if size is None:  # the upload claimed less than it holds: only "more than" is known
        return ValidationError(
            _("L'image pèse plus de %(max)s Mo : %(max)s Mo au maximum."),
            params={"max": limit},
            code="too_big",
        )
    # Rounded up, so that 5 Mo and a few bytes never reads "5,0 Mo : 5 Mo au maximum".
    megabytes = math.ceil(size / 1024 / 1024 * 10) / 10
    return ValidationError(
        _("L'image pèse %(size)s Mo : %(max)s Mo au maximum."),
        params={"size": f"{megabytes:.1f}".replace(".", ","), "max": limit},
        code="too_big",
    )


def _check_pixels(width: int, height: int) -> None:
    if width * height > MAX_PIXELS:
        raise ValidationError(
            _(
                "L'image est trop grande (%(width)s × %(height)s pixels) : "
                "%(max)s millions de pixels au plus."
            ),
            params={
                "width": _group_digits(width),
                "height": _group_digits(height),
                "max": MAX_PIXELS // 1_000_000,
            },
            code="too_many_pixels",
        )


def _draft(image: Image.Image, max_side: int) -> None:
    """Let a JPEG decode at 1/2, 1/4 or 1/8 scale (DCT scaling) when ``max_side`` needs no
    more: a 16-megapixel photo for a 1600 px page is decoded at 2000 × 2000, a quarter of
    the memory. Other formats have no such reduction: they decode whole (within MAX_PIXELS)."""
    if image.format != "JPEG":
        return
    width, height = image.size
    if max(width, height) <= max_side:
        return
    ratio = max_side / max(width, height)
    image.draft(None, (max(1, math.ceil(width * ratio)), max(1, math.ceil(height * ratio))))


def _prepare(image: Image.Image, max_side: int) -> Image.Image:
    """Upright, at most ``max_side`` pixels a side, in a mode WebP keeps (transparency
    included), without metadata."""
    # A broken orientation tag is not worth refusing a photo for: it stays as stored.
    with contextlib.suppress(*_UNREADABLE):
        # The orientation the camera meant. In place: without a tag, the default returns a
        # full copy (64 MB more for a 16-megapixel RGBA image).
        ImageOps.exif_transpose(image, in_place=True)
    # Palette PNGs and GIFs (and some RGB PNGs) declare a transparent colour in ``info``,
    # not as a band: converting to RGB would paint it black.
    if "transparency" in image.info or "A" in image.getbands():
        if image.mode != "RGBA":
            image = image.convert("RGBA")
    elif image.mode == "1":
        # Pillow keeps one byte per pixel for "1" already: as "L" it costs nothing more and
        # can be resampled smoothly. Shrunk first, then made RGB: converting the full
        # image first tripled the memory (a 6,300 px square took 360 MB).
        image = image.convert("L")
    elif image.mode not in ("L", "RGB"):
        image = image.convert("RGB")
    # In place, reducing by whole factors first (``reduce``), then resampling: the image
    # is ours (loaded or converted above).
    image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    if image.mode == "L":
        image = image.convert("RGB")
    image.info = {}  # no EXIF, XMP or ICC can reach the encoder
    return image


def _encode(image: Image.Image, max_side: int) -> bytes:
    copy = image.copy()
    copy.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    copy.save(buffer, format="WEBP", quality=WEBP_QUALITY, method=4)
    return buffer.getvalue()


def _list_formats(formats: Collection[str]) -> str:
    labels = [label for code, label in _FORMAT_LABELS.items() if code in formats]
    labels += sorted(code for code in formats if code not in _FORMAT_LABELS)
    if len(labels) == 1:
        return labels[0]
    return _("%(first)s ou %(last)s") % {"first": ", ".join(labels[:-1]), "last": labels[-1]}


def _group_digits(number: int) -> str:
    return f"{number:,}".replace(",", "\u202f")  # French: a narrow no-break space
