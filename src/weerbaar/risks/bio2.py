"""BIO2 numbers as people type them: ``5.15.01``, ``5.15.1``, ``8.5.1``; separated by commas,
semicolons or spaces. Used by the data migration of the old free-text field and by the import."""

import re

_NUMBER = re.compile(r"^(\d)\.(\d{1,2})\.(\d{1,2})$")
_SPLIT = re.compile(r"[,;\s]+")


def normalise(text: str) -> str | None:
    """``5.1.1`` → ``5.01.01``; None when the text is not a BIO2 number."""
    m = _NUMBER.match(text.strip().rstrip("."))
    if not m:
        return None
    chapter, control, measure = m.groups()
    return f"{chapter}.{int(control):02d}.{int(measure):02d}"


def split(text: str) -> list[str]:
    """The separate numbers (or other words) in a cell or a free-text field, in order, once each."""
    seen: list[str] = []
    for part in _SPLIT.split(text or ""):
        part = part.strip()
        if part and part not in seen:
            seen.append(part)
    return seen
