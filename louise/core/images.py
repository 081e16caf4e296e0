"""Every uploaded picture passes here before it is stored: delivery proofs, the customer's
photo of an item for repair, shop and product photos.

An upload is only a claim: a file named `foto.jpg` may be HTML or SVG with a script, which
the browser would run from our domain, or a mail would carry to a customer; a phone photo
may be 50 MB, or a few KB that unpack to gigapixels; and its EXIF data usually holds the
GPS position it was taken at (a customer's home). So a picture is decoded with Pillow (what
does not decode is refused), turned upright, scaled down to `LOUISE_IMAGE_MAX_EDGE` and
written anew as a JPEG without any metadata. The result is stored under a random name
(`RandomName` as the fields' `upload_to`), so file names say nothing and cannot be guessed.
"""

import io
import secrets
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.db.models import Model
from django.utils.deconstruct import deconstructible
from PIL import Image, ImageOps, UnidentifiedImageError

from .errors import Invalid

# What phones, cameras and image editors produce; MPO is the JPEG of some dual cameras.
ACCEPTED_FORMATS = frozenset({"JPEG", "MPO", "PNG", "WEBP", "GIF", "BMP", "TIFF"})
# Twice a 24-megapixel camera: more is a decompression bomb, not a photo.
MAX_PIXELS = 50_000_000
JPEG_QUALITY = 85

NOT_AN_IMAGE = ("Die Datei ist kein Bild, das wir lesen können. Bitte ein Foto als JPEG, "
                "PNG oder WebP hochladen.")


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f}"


def image_upload(upload: File, *, field: str = "photo") -> ContentFile:
    """The upload as a clean JPEG (upright, at most `LOUISE_IMAGE_MAX_EDGE` pixels on the
    long edge, no metadata), or `Invalid` naming `field` if it is too big or no image."""
    limit = settings.LOUISE_UPLOAD_MAX_BYTES
    if upload.size is None or upload.size > limit:
        raise Invalid(f"Das Foto ist zu groß (höchstens {_megabytes(limit)} MB).",
                      field=field, code="too_large")
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            if probe.format not in ACCEPTED_FORMATS:
                raise Invalid(NOT_AN_IMAGE, field=field, code="not_an_image")
            if probe.width * probe.height > MAX_PIXELS:
                raise Invalid("Das Foto hat zu viele Bildpunkte (höchstens 50 Megapixel).",
                              field=field, code="too_large")
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            picture = _flattened(ImageOps.exif_transpose(image))
    except Invalid:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError,
            ValueError) as exc:
        raise Invalid(NOT_AN_IMAGE, field=field, code="not_an_image") from exc
    edge = settings.LOUISE_IMAGE_MAX_EDGE
    picture.thumbnail((edge, edge), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    # No `exif=`: Pillow writes none, so the position, camera and time stay with the sender.
    picture.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return ContentFile(out.getvalue(), name="foto.jpg")


def _flattened(image: Image.Image) -> Image.Image:
    """RGB for JPEG: transparency on white (a PNG logo), the first frame of an animation."""
    if image.mode in ("RGBA", "LA", "P", "PA"):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, "white")
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


@deconstructible
class RandomName:
    """`upload_to` for uploads: `<folder>/<random token><suffix>`, whatever the sender named
    the file. The token is as strong as a session key; names like `stop-41.jpg` could be
    counted through."""

    def __init__(self, folder: str):
        self.folder = folder

    def __call__(self, instance: Model, filename: str) -> str:
        suffix = PurePosixPath(filename).suffix.lower()[:5] or ".jpg"
        return f"{self.folder}/{secrets.token_urlsafe(24)}{suffix}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RandomName) and other.folder == self.folder

    def __hash__(self) -> int:
        return hash(self.folder)
