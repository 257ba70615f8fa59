"""Checks on an uploaded piece of evidence before it is stored.

Allowed: PDF, Office and OpenDocument files, PNG and JPEG images and plain text, at most
:data:`MAX_BYTES`. The type is decided from the content (its first bytes), not from the name or
the browser's claim; Office and OpenDocument files are zip archives and get the archive checks
of ``documents.uploads`` (no decompression bombs). The file is served back as a download only.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from weerbaar.documents.uploads import UnsafeArchive, check_zip_archive

MAX_BYTES = 5 * 1024 * 1024

# extension -> (content type, signature check)
_ZIP = b"PK\x03\x04"
TYPES = {
    ".pdf": ("application/pdf", lambda head: head.startswith(b"%PDF-")),
    ".png": ("image/png", lambda head: head.startswith(b"\x89PNG\r\n\x1a\n")),
    ".jpg": ("image/jpeg", lambda head: head.startswith(b"\xff\xd8\xff")),
    ".jpeg": ("image/jpeg", lambda head: head.startswith(b"\xff\xd8\xff")),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        lambda head: head.startswith(_ZIP),
    ),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", lambda head: head.startswith(_ZIP)),
    ".pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        lambda head: head.startswith(_ZIP),
    ),
    ".odt": ("application/vnd.oasis.opendocument.text", lambda head: head.startswith(_ZIP)),
    ".ods": ("application/vnd.oasis.opendocument.spreadsheet", lambda head: head.startswith(_ZIP)),
    ".txt": ("text/plain; charset=utf-8", None),
}


@dataclass(frozen=True)
class EvidenceFile:
    name: str
    content_type: str
    size: int
    data: bytes


def _plain_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def check_evidence(upload) -> EvidenceFile:
    """The checked file, or a ValidationError with a Dutch message for the ``evidence_file`` field."""
    name = os.path.basename(upload.name or "").strip()[:200] or "bewijs"
    extension = os.path.splitext(name)[1].lower()
    if extension not in TYPES:
        raise ValidationError(
            _("Dit soort bestand kan niet als bewijs worden bewaard. Toegestaan: %(types)s.")
            % {"types": "PDF, Word, Excel, PowerPoint, OpenDocument, PNG, JPEG, " + _("tekst")},
            code="type",
        )
    if upload.size is not None and upload.size > MAX_BYTES:
        raise ValidationError(
            _("Dit bestand is te groot (%(size)s MB; het maximum is %(max)s MB).")
            % {"size": round(upload.size / 1024 / 1024, 1), "max": MAX_BYTES // 1024 // 1024},
            code="size",
        )
    if not upload.size:
        raise ValidationError(_("Dit bestand is leeg."), code="empty")
    upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValidationError(
            _("Dit bestand is te groot (het maximum is %(max)s MB).") % {"max": MAX_BYTES // 1024 // 1024}
        )
    content_type, signature = TYPES[extension]
    matches = _plain_text(data) if signature is None else signature(data[:16])
    if not matches:
        raise ValidationError(
            _("De inhoud van dit bestand past niet bij de naam (%(ext)s). Het is niet bewaard.") % {"ext": extension},
            code="content",
        )
    if data.startswith(_ZIP):
        try:
            check_zip_archive(upload)
        except UnsafeArchive as e:
            raise ValidationError(e.message, code="archive") from e
    return EvidenceFile(name=name, content_type=content_type, size=len(data), data=data)
