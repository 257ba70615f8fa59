"""Text as people paste it: control characters removed, nothing else changed.

Text copied from Word or a PDF can carry vertical tabs, form feeds, NUL bytes and other C0/C1
control characters. They mean nothing to a reader, but Excel (XML 1.0) and Word refuse them,
so a single one would break every export of the municipality. They are removed when text comes
in (forms, API, import) and again when documents are written. Tab and line breaks stay; a
carriage return is folded into the line break it belongs to. Lone surrogates (invalid Unicode
that JSON can smuggle in) are removed too.
"""

import re

# C0 except tab (\x09) and line feed (\x0a); DEL and C1; lone UTF-16 surrogates; U+FFFE/U+FFFF.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def clean_text(value: str) -> str:
    """The text without control characters; ``\\r\\n`` and ``\\r`` become ``\\n``."""
    if not value:
        return value
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", value)


def clean_line(value: str) -> str:
    """One-line text (names, titles): control characters removed, line breaks become spaces."""
    if not value:
        return value
    return clean_text(value).replace("\n", " ").replace("\t", " ")


def has_control_characters(value: str) -> bool:
    return bool(value) and bool(_CONTROL.search(value.replace("\r", "")))
