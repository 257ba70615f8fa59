"""The member's private iCalendar feed (RFC 5545), built with the ``icalendar`` library.

Every entry is an all-day event; its UID is stable (source, kind, date, url, title), so a
calendar program updates an event instead of adding a second one when the feed is read again.
"""

from __future__ import annotations

import datetime
import hashlib

from django.utils import timezone
from icalendar import Calendar, Event

from . import selectors

PAST_DAYS = 366
FUTURE_DAYS = 2 * 366


def window(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    return today - datetime.timedelta(days=PAST_DAYS), today + datetime.timedelta(days=FUTURE_DAYS)


def _uid(item, organisation_slug: str) -> str:
    e = item.entry
    key = "|".join([item.source, e.kind, e.date.isoformat(), e.url, e.title])
    return f"{hashlib.sha256(key.encode()).hexdigest()[:32]}@{organisation_slug}.weerbaar"


def build(membership, *, base_url: str, today: datetime.date | None = None) -> bytes:
    today = today or timezone.localdate()
    start, end = window(today)
    org = membership.organisation
    cal = Calendar()
    cal.add("prodid", "-//Weerbaar//Kalender integrale beveiliging//NL")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"Weerbaar {org.name}")
    stamp = timezone.now()
    for item in selectors.entries(membership, start, end, today=today):
        e = item.entry
        event = Event()
        event.add("uid", _uid(item, org.slug))
        event.add("dtstamp", stamp)
        event.add("dtstart", e.date)
        event.add("dtend", e.date + datetime.timedelta(days=1))
        event.add("summary", f"{e.title} ({item.kind_label})")
        description = e.description or ""
        if e.url:
            event.add("url", base_url + e.url)
            description = f"{description}\n{base_url}{e.url}".strip()
        if description:
            event.add("description", description)
        event.add("categories", [item.kind_label])
        event.add("transp", "TRANSPARENT")
        if e.done:
            event.add("status", "CONFIRMED")
        cal.add_component(event)
    return cal.to_ical()
