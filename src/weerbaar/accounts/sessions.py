"""Session lifetime (ASVS V3.3) and the user's own list of signed-in browsers.

- Idle timeout: SESSION_COOKIE_AGE (SESSION_IDLE_TIMEOUT_SECONDS). The middleware refreshes the
  expiry at most once a minute instead of saving the session on every request, so a page view
  normally writes nothing; the idle window is exact to within that minute.
- Absolute lifetime: SESSION_ABSOLUTE_LIFETIME_SECONDS after sign-in a new sign-in is required,
  however active the user was.
- Each signed-in session has a UserSession row (device, address, started, last activity), so a
  user can see and end their other sessions, and a password change or MFA reset ends all of
  them but the one the user works in.
"""

import re
import time
from importlib import import_module

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import UserSession
from .security import client_ip, security_event

LOGIN_AT = "weerbaar_login_at"  # epoch seconds of the sign-in
SEEN_AT = "weerbaar_seen_at"  # epoch seconds of the last expiry refresh
ROW = "weerbaar_session_row"  # (UserSession pk, session key it was last synced with)
REFRESH_EVERY = 60  # seconds


def _session_store():
    return import_module(settings.SESSION_ENGINE).SessionStore


def register_session(request, user) -> UserSession:
    """At sign-in: remember when, and describe the browser for 'Mijn sessies'."""
    now = timezone.now()
    request.session[LOGIN_AT] = int(time.time())
    request.session[SEEN_AT] = int(time.time())
    if not request.session.session_key:
        request.session.save()
    # Signing in again as the same user keeps the session key (Django cycles it only otherwise).
    UserSession.objects.filter(session_key=request.session.session_key).delete()
    row = UserSession.objects.create(
        user=user,
        session_key=request.session.session_key,
        user_agent=(request.META.get("HTTP_USER_AGENT") or "")[:300],
        ip_address=client_ip(request),
        started_at=now,
        last_activity=now,
    )
    request.session[ROW] = [row.pk, row.session_key]
    return row


def _sync_row(request) -> None:
    """Point this session's row at its current key (login and password change cycle the key)."""
    key = request.session.session_key
    row_pk, _synced_key = request.session.get(ROW) or (None, None)
    updated = UserSession.objects.filter(pk=row_pk, user=request.user).update(
        session_key=key, last_activity=timezone.now()
    )
    if not updated:  # a session from before this feature, or its row was removed: describe it now
        UserSession.objects.filter(session_key=key).delete()
        row = UserSession.objects.create(
            user=request.user,
            session_key=key,
            user_agent=(request.META.get("HTTP_USER_AGENT") or "")[:300],
            ip_address=client_ip(request),
        )
        row_pk = row.pk
    request.session[ROW] = [row_pk, key]


class SessionLifetimeMiddleware:
    """After AuthenticationMiddleware: ends sessions past their absolute lifetime and refreshes
    the idle expiry at most once a minute."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            login_at = request.session.get(LOGIN_AT)
            if login_at is None:  # signed in before the absolute lifetime existed: count from now
                request.session[LOGIN_AT] = login_at = now
            if now - login_at >= settings.SESSION_ABSOLUTE_LIFETIME:
                security_event("session_expired", request=request, user=user, reason="absolute_lifetime")
                logout(request)
                messages.info(request, _("Uw sessie is verlopen. Log opnieuw in."))
            else:
                row = request.session.get(ROW)
                stale_key = not row or row[1] != request.session.session_key
                if stale_key or now - request.session.get(SEEN_AT, 0) >= REFRESH_EVERY:
                    request.session[SEEN_AT] = now  # marks the session modified: saved with a new expiry
                    _sync_row(request)
        return self.get_response(request)


def active_sessions(user) -> list[UserSession]:
    """The user's sessions that still exist and have not expired; rows of ended ones are dropped."""
    rows = list(UserSession.objects.filter(user=user))
    alive = set(
        Session.objects.filter(
            session_key__in=[r.session_key for r in rows], expire_date__gt=timezone.now()
        ).values_list("session_key", flat=True)
    )
    dead = [r.pk for r in rows if r.session_key not in alive]
    if dead:
        UserSession.objects.filter(pk__in=dead).delete()
    return [r for r in rows if r.session_key in alive]


def end_session(row: UserSession) -> None:
    with transaction.atomic():
        _session_store()().delete(row.session_key)
        row.delete()


def end_other_sessions(user, *, keep_request=None) -> int:
    """End every session of the user except the one of keep_request (if it is theirs)."""
    keep = None
    if keep_request is not None and getattr(keep_request, "user", None) == user:
        keep = keep_request.session.session_key
        keep_row = (keep_request.session.get(ROW) or [None])[0]
    else:
        keep_row = None
    rows = UserSession.objects.filter(user=user).exclude(session_key=keep)
    if keep_row:
        rows = rows.exclude(pk=keep_row)
    count = 0
    for row in rows:
        end_session(row)
        count += 1
    return count


_BROWSERS = [("Edge", r"Edg(e|A|iOS)?/"), ("Opera", r"OPR/"), ("Firefox", r"Firefox/|FxiOS/"),
             ("Chrome", r"Chrome/|CriOS/"), ("Safari", r"Safari/")]  # fmt: skip
_SYSTEMS = [("iOS", r"iPhone|iPad"), ("Android", r"Android"), ("Windows", r"Windows"),
            ("macOS", r"Mac OS X|Macintosh"), ("Linux", r"Linux|X11")]  # fmt: skip


def describe_user_agent(user_agent: str) -> str:
    """'Firefox op Windows': enough for a person to recognise their own device."""
    browser = next((name for name, pattern in _BROWSERS if re.search(pattern, user_agent or "")), None)
    system = next((name for name, pattern in _SYSTEMS if re.search(pattern, user_agent or "")), None)
    if browser and system:
        return _("%(browser)s op %(system)s") % {"browser": browser, "system": system}
    return browser or system or _("Onbekend apparaat")
