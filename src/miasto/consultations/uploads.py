"""Files people give a consultation: the planners' documents and the attachments of comments.

Everything is assumed hostile: the type is read from the file's first bytes (never from its
name or the browser's word), the size is bounded (settings), the stored name is made safe by
:func:`miasto.core.uploads.safe_filename`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from miasto.core.uploads import safe_filename

#: magic bytes → (content type, extension)
SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
)


class FileRefused(ValueError):
    """A file that is not taken; ``str()`` says why, in the user's language."""


@dataclass(frozen=True)
class CheckedFile:
    upload: Any  # an UploadedFile
    name: str
    content_type: str
    size: int


def attachment_max_bytes() -> int:
    return int(getattr(settings, "MIASTO_CONSULTATIONS_ATTACHMENT_MAX_BYTES", 5 * 1024**2))


def document_max_bytes() -> int:
    return int(getattr(settings, "MIASTO_CONSULTATIONS_DOCUMENT_MAX_BYTES", 50 * 1024**2))


def check_file(upload: Any, max_bytes: int) -> CheckedFile:
    """The upload if it is a PDF, PNG or JPEG file within ``max_bytes``, else
    :class:`FileRefused`."""
    size = int(getattr(upload, "size", 0) or 0)
    if size == 0:
        raise FileRefused(_("The file %(name)s is empty.") % {"name": upload.name[:80]})
    if size > max_bytes:
        raise FileRefused(
            _("The file %(name)s is too large: at most %(mb)s MB.")
            % {"name": upload.name[:80], "mb": max_bytes // 1024**2}
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for magic, content_type, extension in SIGNATURES:
        if head.startswith(magic):
            stem = safe_filename(upload.name).rsplit(".", 1)[0]
            return CheckedFile(upload, stem + extension, content_type, size)
    raise FileRefused(
        _("The file %(name)s is not a PDF, PNG or JPEG file.") % {"name": upload.name[:80]}
    )
