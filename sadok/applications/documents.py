"""Privilege documents: PDF, JPEG or PNG, at most 10 MB, recognised by content."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

_SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)


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
