"""A kindergarten's photo, as a head uploads it and the public sees it.

The upload is untrusted and is served from MEDIA_ROOT to everyone: it is kept as
a JPEG encoded here anew (nothing that rode along in the file survives), within
SADOK_PHOTO_MAX_PIXELS (checked before its pixels are decoded), no larger than a
page shows it, under a random name.
"""

from __future__ import annotations

import io
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

# The long side, in pixels, of a photo as the kindergarten's page shows it.
PHOTO_SIDE = 2000


def photo_reencode(upload: UploadedFile) -> ContentFile:
    refused = ValidationError(
        _("Фото завелике або пошкоджене: завантажте JPEG чи PNG до %(mp)d мегапікселів.")
        % {"mp": settings.SADOK_PHOTO_MAX_PIXELS // 1_000_000},
        code="photo",
    )
    upload.seek(0)
    try:
        image = Image.open(io.BytesIO(upload.read()))
        width, height = image.size
        if width * height > settings.SADOK_PHOTO_MAX_PIXELS:
            raise refused
        image.load()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as error:
        raise refused from error
    upright = ImageOps.exif_transpose(image).convert("RGB")
    upright.thumbnail((PHOTO_SIDE, PHOTO_SIDE))
    out = io.BytesIO()
    upright.save(out, "JPEG", quality=85)
    return ContentFile(out.getvalue(), name=f"{secrets.token_hex(16)}.jpg")
