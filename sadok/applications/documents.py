"""Privilege documents (SPEC.md "Privileges"): PDF, JPEG or PNG, recognised by
content, never by name.

What a family uploads is untrusted. So it is kept under a random name with the
extension of the type found in it, readable by the server's user alone (0600,
`models.private_storage`); an image is decoded within a pixel limit and encoded
anew (whatever rode along in it is gone); a PDF must open in PDFium within a page
limit. Officers look at it as PNG images rendered here (`document_page_png`):
no viewer of theirs ever parses the upload. The original downloads only as an
attachment, under a sandbox policy (the cabinet's views).
"""

from __future__ import annotations

import io
import secrets
from dataclasses import dataclass

import pypdfium2 as pdfium
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

_SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)
EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
_PIL_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG"}


def document_type(upload: UploadedFile) -> str:
    """The content type read from the file's first bytes, never from its name."""
    if upload.size is None or upload.size > settings.SADOK_DOCUMENT_MAX_BYTES:
        raise ValidationError(
            _("Файл завеликий: найбільше %(mb)d МБ. Зменште скан або сфотографуйте документ.")
            % {"mb": settings.SADOK_DOCUMENT_MAX_BYTES // (1024 * 1024)},
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for signature, content_type in _SIGNATURES:
        if head.startswith(signature):
            return content_type
    raise ValidationError(
        _(
            "Завантажте документ у форматі PDF, JPEG або PNG. Цей файл не є жодним із них, "
            "хоч би як він називався."
        ),
        code="bad_type",
    )


@dataclass(frozen=True)
class Document:
    content: ContentFile
    content_type: str


def _unreadable() -> ValidationError:
    return ValidationError(
        _(
            "Файл пошкоджено або його не вдалося прочитати. Збережіть документ ще раз "
            "(PDF, JPEG або PNG) і завантажте знову."
        ),
        code="unreadable",
    )


def _too_many_pixels() -> ValidationError:
    megapixels = settings.SADOK_DOCUMENT_MAX_PIXELS // 1_000_000
    return ValidationError(
        _("Зображення завелике: найбільше %(mp)d мегапікселів. Зменште його розмір.")
        % {"mp": megapixels},
        code="too_many_pixels",
    )


def document_prepare(upload: UploadedFile) -> Document:
    """What is kept of an upload: its type found, images re-encoded, PDFs checked,
    under a random name. Raises ValidationError with a sentence for the family."""
    content_type = document_type(upload)
    upload.seek(0)
    data = upload.read()
    if content_type == "application/pdf":
        try:
            pages = len(pdfium.PdfDocument(data))
        except pdfium.PdfiumError as error:
            raise _unreadable() from error
        if not 1 <= pages <= settings.SADOK_DOCUMENT_MAX_PAGES:
            raise ValidationError(
                _("Документ має бути від 1 до %(n)d сторінок.")
                % {"n": settings.SADOK_DOCUMENT_MAX_PAGES},
                code="too_many_pages",
            )
    else:
        data = _image_reencode(data, content_type)
    name = f"{secrets.token_hex(16)}.{EXTENSIONS[content_type]}"
    return Document(ContentFile(data, name=name), content_type)


def _image_open(data: bytes, content_type: str) -> Image.Image:
    """An image whose size was checked before its pixels were decoded."""
    try:
        image = Image.open(io.BytesIO(data), formats=[_PIL_FORMATS[content_type]])
    except Image.DecompressionBombError as error:
        raise _too_many_pixels() from error
    except (UnidentifiedImageError, OSError) as error:
        raise _unreadable() from error
    width, height = image.size
    if width * height > settings.SADOK_DOCUMENT_MAX_PIXELS:
        raise _too_many_pixels()
    try:
        image.load()
    except (OSError, ValueError, Image.DecompressionBombError) as error:
        raise _unreadable() from error
    return image


def _image_reencode(data: bytes, content_type: str) -> bytes:
    image = ImageOps.exif_transpose(_image_open(data, content_type))
    out = io.BytesIO()
    if content_type == "image/jpeg":
        image.convert("RGB").save(out, "JPEG", quality=90)
    else:
        if image.mode not in ("1", "L", "LA", "RGB", "RGBA", "P"):
            image = image.convert("RGBA")
        image.save(out, "PNG")
    return out.getvalue()


def document_pages(*, data: bytes, content_type: str) -> int:
    """How many page images the document shows as (0: it cannot be shown)."""
    if content_type != "application/pdf":
        return 1
    try:
        return min(len(pdfium.PdfDocument(data)), settings.SADOK_DOCUMENT_MAX_PAGES)
    except pdfium.PdfiumError:
        return 0


def document_page_png(*, data: bytes, content_type: str, page: int) -> bytes | None:
    """Page `page` (from 1) of the document as a PNG at most
    SADOK_DOCUMENT_VIEW_SIDE pixels on its long side; None if there is no such page."""
    side = settings.SADOK_DOCUMENT_VIEW_SIDE
    if content_type == "application/pdf":
        try:
            pdf = pdfium.PdfDocument(data)
            if not 1 <= page <= min(len(pdf), settings.SADOK_DOCUMENT_MAX_PAGES):
                return None
            width, height = pdf[page - 1].get_size()
            scale = min(side / max(width, height, 1), 4.0)
            image = pdf[page - 1].render(scale=scale).to_pil()
        except pdfium.PdfiumError:
            return None
    else:
        if page != 1:
            return None
        try:
            image = _image_open(data, content_type)
        except ValidationError:
            return None
        image.thumbnail((side, side))
    out = io.BytesIO()
    image.convert("RGB").save(out, "PNG")
    return out.getvalue()
