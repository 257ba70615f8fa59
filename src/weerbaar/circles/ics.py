"""An iCalendar (RFC 5545) entry for one meeting, so members put it in their own calendar."""

from __future__ import annotations

import datetime

from django.utils import timezone

from .models import Meeting


def _escape(text: str) -> str:
    return (
        (text or "")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\n")
        .replace("\r", "\n")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """Lines longer than 75 octets are folded (RFC 5545 3.1), never inside a UTF-8 character."""
    out, current = [], b""
    for char in line:
        encoded = char.encode("utf-8")
        if len(current) + len(encoded) > (75 if not out else 74):
            out.append(current.decode("utf-8"))
            current = b""
        current += encoded
    out.append(current.decode("utf-8"))
    return "\r\n ".join(out)


def _utc(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def meeting_ics(meeting: Meeting, *, url: str, host: str) -> str:
    where = meeting.location or meeting.online_url
    description = meeting.agenda
    if meeting.online_url:
        description = f"{meeting.online_url}\n\n{description}".strip()
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Weerbaar//Leerkringen//NL",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:circle-meeting-{meeting.pk}@{host.split(':')[0] or 'weerbaar'}",
        f"DTSTAMP:{_utc(timezone.now())}",
        f"DTSTART:{_utc(meeting.starts_at)}",
        f"DTEND:{_utc(meeting.ends_at)}",
        f"SEQUENCE:{meeting.revision}",
        f"SUMMARY:{_escape(f'{meeting.title} ({meeting.circle.name})')}",
        f"LOCATION:{_escape(where)}",
        f"DESCRIPTION:{_escape(description)}",
        f"URL:{url}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
