"""Secrets at rest (an SSO client secret): Fernet (AES-128-CBC + HMAC-SHA256) from ``cryptography``.

The key is ``SSO_ENCRYPTION_KEY`` when set (a Fernet key: 32 url-safe base64 bytes), otherwise
derived from ``SECRET_KEY`` with HKDF, so a default installation needs no extra setting. Changing
the key makes stored secrets unreadable: they must then be entered again (the settings page says so).
"""

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


def _fernet() -> Fernet:
    key = getattr(settings, "SSO_ENCRYPTION_KEY", "")
    if not key:
        derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"weerbaar sso secret").derive(
            settings.SECRET_KEY.encode()
        )
        key = base64.urlsafe_b64encode(derived)
    return Fernet(key)


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode() if value else ""


def decrypt(value: str) -> str | None:
    """The plain text, or None when it cannot be read (another key)."""
    if not value:
        return ""
    try:
        return _fernet().decrypt(value.encode()).decode()
    except InvalidToken:
        return None
