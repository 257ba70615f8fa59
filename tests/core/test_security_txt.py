"""/.well-known/security.txt (RFC 9116) is served without login, with a future Expires."""

from datetime import UTC, datetime, timedelta

import pytest

from weerbaar.settings import PROJECT_DIR

pytestmark = pytest.mark.django_db


def _fields(text):
    fields = {}
    for line in text.splitlines():
        name, _, value = line.partition(": ")
        fields.setdefault(name, []).append(value)
    return fields


def test_security_txt_is_open_and_complete(client, settings):
    settings.SECURITY_CONTACTS = ["mailto:meld@gemeente.example", "https://gemeente.example/melden"]
    response = client.get("/.well-known/security.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    fields = _fields(response.content.decode())
    assert fields["Contact"] == ["mailto:meld@gemeente.example", "https://gemeente.example/melden"]
    assert fields["Preferred-Languages"] == ["nl, en"]
    assert fields["Policy"] == [settings.SECURITY_POLICY_URL]
    assert fields["Canonical"] == ["http://testserver/.well-known/security.txt"]
    expires = datetime.fromisoformat(fields["Expires"][0].replace("Z", "+00:00"))
    now = datetime.now(UTC)
    # RFC 9116: in the future, and less than a year ahead.
    assert now + timedelta(days=300) < expires < now + timedelta(days=365)


def test_security_policy_exists_in_dutch_and_english():
    text = (PROJECT_DIR / "SECURITY.md").read_text()
    assert "Coordinated Vulnerability Disclosure" in text
    assert "kwetsbaarheden melden" in text.lower() and "reporting a vulnerability" in text.lower()
    assert "/.well-known/security.txt" in text
