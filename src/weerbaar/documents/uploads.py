"""Checks on uploaded Office files (.xlsx, .docx) before anything parses them.

An Office file is a zip archive. A small file can unpack to gigabytes (a decompression bomb)
or hold hundreds of thousands of entries; the parsers would spend minutes and gigabytes on it.
The zip's central directory states every entry's unpacked size, so the archive is refused
before a single entry is inflated. The stated sizes can lie, so readers that inflate entries
themselves should stop at the same limit (:func:`read_entry_limited`).
"""

import zipfile

from django.utils.translation import gettext as _

MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_ENTRIES = 1000
MAX_RATIO = 200  # unpacked / packed for one entry; real Office files stay far below this


class UnsafeArchive(Exception):
    """The archive was refused; ``message`` is Dutch and meant for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def check_zip_archive(upload, *, max_unpacked_bytes: int = MAX_UNPACKED_BYTES, max_entries: int = MAX_ENTRIES) -> None:
    """Refuse an archive whose entries are too many or unpack too large. Rewinds the file."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        upload.seek(0)
        raise UnsafeArchive(_("Dit bestand is beschadigd of geen Office-bestand."))
    upload.seek(0)
    if len(infos) > max_entries:
        raise UnsafeArchive(
            _("Dit bestand bevat te veel onderdelen (%(n)s; het maximum is %(max)s).")
            % {"n": len(infos), "max": max_entries}
        )
    total = 0
    for info in infos:
        total += info.file_size
        if info.compress_size and info.file_size / info.compress_size > MAX_RATIO and info.file_size > 1024 * 1024:
            raise UnsafeArchive(_("Dit bestand is verdacht sterk ingepakt en wordt niet geopend."))
    if total > max_unpacked_bytes:
        raise UnsafeArchive(
            _("Uitgepakt is dit bestand te groot (%(size)s MB; het maximum is %(max)s MB).")
            % {"size": round(total / 1024 / 1024, 1), "max": max_unpacked_bytes // 1024 // 1024}
        )
