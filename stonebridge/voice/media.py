"""Photos and voice messages a worker sends: checked for type and size, photos re-encoded so no
EXIF or GPS data survives."""

import io

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

PHOTO_MAX_BYTES = 10 * 1024 * 1024
VOICE_MAX_BYTES = 10 * 1024 * 1024
# What phones record: Android in AMR, 3GPP, AAC or WebM; iPhones in M4A (AAC) or MP4.
VOICE_TYPES = {
    "audio/amr",
    "audio/3gpp",
    "audio/aac",
    "audio/mp4",
    "audio/x-m4a",
    "audio/m4a",
    "audio/mpeg",
    "audio/ogg",
    "audio/webm",
    "audio/wav",
    "audio/x-wav",
    "video/3gpp",
    "video/mp4",
    "video/webm",
}
# The first bytes of each recording format, so a file is what it says it is.
VOICE_SIGNATURES = (b"#!AMR", b"ID3", b"\xff\xf1", b"\xff\xf9", b"\xff\xfb", b"OggS", b"RIFF")
VOICE_BOX = b"ftyp"  # MP4, M4A and 3GPP: the box type at offset 4
WEBM = b"\x1a\x45\xdf\xa3"


# StoneBridge default: a 48-megapixel phone camera fits, a decompression bomb does not.
PHOTO_MAX_PIXELS = 50_000_000


def clean_photo(data: bytes) -> bytes:
    """The photo as a fresh JPEG: turned upright, then saved without any metadata (EXIF, GPS,
    the camera's serial number). Anything Pillow cannot read as an image is refused."""
    if len(data) > PHOTO_MAX_BYTES:
        raise ValidationError({"photo": _("The photo is too large (at most 10 MB).")})
    try:
        with Image.open(io.BytesIO(data)) as image:
            # A small file can unpack into a huge bitmap: refuse it before decoding.
            if image.width * image.height > PHOTO_MAX_PIXELS:
                raise ValidationError({"photo": _("This photo is too large.")})
            image.draft("RGB", (2048, 2048))
            image.load()
            upright = ImageOps.exif_transpose(image).convert("RGB")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise ValidationError({"photo": _("This file is not a photo.")}) from None
    upright.thumbnail((2048, 2048))
    out = io.BytesIO()
    upright.save(out, format="JPEG", quality=85)
    return out.getvalue()


def check_voice(data: bytes, content_type: str) -> str:
    """The voice message's type, once its size and first bytes show it is a recording."""
    if len(data) > VOICE_MAX_BYTES:
        raise ValidationError({"voice": _("The voice message is too long (at most 10 MB).")})
    kind = content_type.split(";")[0].strip().lower()
    looks_right = (
        data.startswith(VOICE_SIGNATURES) or data[4:8] == VOICE_BOX or data.startswith(WEBM)
    )
    if kind not in VOICE_TYPES or not looks_right:
        raise ValidationError({"voice": _("This file is not a voice recording.")})
    return kind
