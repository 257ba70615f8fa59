"""Checks on files shared in a circle: the type by content (not by name alone) and the size.

Office files are zip archives and go through ``documents.uploads.check_zip_archive`` (entry
count, unpacked size, compression ratio) before anyone opens them.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext as _

from weerbaar.documents.uploads import UnsafeArchive, check_zip_archive

MAX_BYTES = getattr(settings, "CIRCLE_DOCUMENT_MAX_BYTES", 10 * 1024 * 1024)

OOXML = {
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "word/"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xl/"),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", "ppt/"),
}
ODF = {
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
}
SIMPLE = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
}
TEXT = {"txt": "text/plain; charset=utf-8", "csv": "text/csv; charset=utf-8", "md": "text/markdown; charset=utf-8"}

ALLOWED_EXTENSIONS = sorted([*OOXML, *ODF, *SIMPLE, *TEXT])


@dataclass(frozen=True)
class CheckedFile:
    filename: str
    content_type: str
    content: bytes


def safe_filename(name: str) -> str:
    """The last path part, without characters that break a Content-Disposition header."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if c.isprintable() and c not in '"<>:|?*;').strip(" .")
    return name[:200] or "document"


def check_upload(upload) -> CheckedFile:
    """Read and check an uploaded file; raise ValidationError with a Dutch message when refused."""
    name = safe_filename(getattr(upload, "name", ""))
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ALLOWED_EXTENSIONS:
        raise ValidationError(
            _("Dit soort bestand kan niet worden gedeeld. Toegestaan zijn: %(types)s.")
            % {"types": ", ".join(ALLOWED_EXTENSIONS)},
            code="file_type",
        )
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_BYTES:
        raise ValidationError(_too_large(size), code="file_too_large")
    content = upload.read(MAX_BYTES + 1)
    if len(content) > MAX_BYTES:
        raise ValidationError(_too_large(len(content)), code="file_too_large")
    if not content:
        raise ValidationError(_("Het bestand is leeg."), code="file_empty")
    return CheckedFile(filename=name, content_type=_content_type(extension, content), content=content)


def _too_large(size: int) -> str:
    return _("Het bestand is te groot (%(size)s MB); het maximum is %(max)s MB.") % {
        "size": round(size / 1024 / 1024, 1),
        "max": MAX_BYTES // 1024 // 1024,
    }


def _mismatch(extension: str) -> ValidationError:
    return ValidationError(
        _("De inhoud van dit bestand past niet bij de extensie .%(ext)s. Sla het opnieuw op en probeer het nog eens.")
        % {"ext": extension},
        code="file_content",
    )


def _content_type(extension: str, content: bytes) -> str:
    if extension in SIMPLE:
        content_type, signatures = SIMPLE[extension]
        if not content.startswith(signatures):
            raise _mismatch(extension)
        return content_type
    if extension in TEXT:
        if b"\x00" in content:
            raise _mismatch(extension)
        try:
            content.decode("utf-8")
        except UnicodeDecodeError:
            raise ValidationError(
                _("Sla dit tekstbestand op als UTF-8 en probeer het opnieuw."), code="file_encoding"
            ) from None
        return TEXT[extension]
    # Office formats: a zip archive, checked before anything inside is read.
    if not content.startswith(b"PK\x03\x04"):
        raise _mismatch(extension)
    try:
        check_zip_archive(io.BytesIO(content))
    except UnsafeArchive as e:
        raise ValidationError(e.message, code="file_archive") from None
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        names = set(archive.namelist())
        if extension in OOXML:
            content_type, folder = OOXML[extension]
            if "[Content_Types].xml" not in names or not any(n.startswith(folder) for n in names):
                raise _mismatch(extension)
            return content_type
        expected = ODF[extension]
        if "mimetype" not in names or archive.getinfo("mimetype").file_size > 200:
            raise _mismatch(extension)
        if archive.read("mimetype").strip() != expected.encode():
            raise _mismatch(extension)
        return expected


def download_response(version) -> HttpResponse:
    """A shared version as an attachment that no browser renders or sniffs in the page's origin."""
    response = HttpResponse(bytes(version.content), content_type=version.content_type)
    name = safe_filename(version.filename)
    ascii_name = name.encode("ascii", "ignore").decode() or "document"
    response["Content-Disposition"] = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
