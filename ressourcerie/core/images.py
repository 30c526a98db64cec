"""Uploaded images: checked by content (not by name), size-limited, re-encoded and resized.

Re-encoding drops metadata (EXIF, GPS position) and anything hidden in the file.
"""

import io

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
# Decompression bombs: refuse anything beyond this many pixels before decoding it.
MAX_PIXELS = 40_000_000


def reencode_image(uploaded, *, max_side: int = 1600, name: str = "image") -> ContentFile:
    """A clean WebP copy of an uploaded image, at most ``max_side`` pixels wide or high."""
    if uploaded.size is not None and uploaded.size > MAX_UPLOAD_BYTES:
        raise ValidationError(_("L'image dépasse 5 Mo : réduisez-la avant de l'envoyer."))
    uploaded.seek(0)
    data = uploaded.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationError(_("L'image dépasse 5 Mo : réduisez-la avant de l'envoyer."))
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.size[0] * probe.size[1] > MAX_PIXELS:
                raise ValidationError(_("L'image est trop grande (40 millions de pixels au plus)."))
            probe.verify()
        image = Image.open(io.BytesIO(data))
        if image.format not in ACCEPTED_FORMATS:
            raise ValidationError(_("Formats acceptés : JPEG, PNG, WebP ou GIF."))
        image = ImageOps.exif_transpose(image)
        image.thumbnail((max_side, max_side))
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA" if "transparency" in image.info else "RGB")
        output = io.BytesIO()
        image.save(output, format="WEBP", quality=80, method=4)
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError) as exc:
        raise ValidationError(_("Ce fichier n'est pas une image lisible.")) from exc
    return ContentFile(output.getvalue(), name=f"{name}.webp")
