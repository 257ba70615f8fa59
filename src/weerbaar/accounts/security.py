"""Security events (BIO2 8.15): one JSON line each on the ``weerbaar.security`` logger.

Sign-ins, failures, lockouts, MFA changes, API token use, role changes and ended sessions.
The lines hold ids only (user, membership, organisation, token), the client address and
the event: never a password, token, code or e-mail address, so the log may leave the
application for a SIEM without becoming personal-data storage of its own.
"""

import json
import logging
from datetime import UTC, datetime

logger = logging.getLogger("weerbaar.security")

# Fields a caller may pass; anything else is dropped, so a secret cannot slip in by a new kwarg.
ALLOWED_FIELDS = {
    "user_id",
    "ip",
    "reason",
    "authenticator",
    "token_id",
    "membership_id",
    "organisation_id",
    "old_role",
    "new_role",
    "sessions_ended",
    "method",
}


def client_ip(request) -> str | None:
    from allauth.core.internal import ratelimit

    try:  # the same notion of "client" as the login limits, through the trusted proxy settings
        return ratelimit.get_ip(request)
    except Exception:
        return request.META.get("REMOTE_ADDR") or None


def security_event(event: str, *, request=None, user=None, **fields) -> None:
    data = {"event": event}
    if user is not None and getattr(user, "pk", None) is not None:
        data["user_id"] = user.pk
    if request is not None:
        data["ip"] = client_ip(request)
    data.update({k: v for k, v in fields.items() if k in ALLOWED_FIELDS})
    logger.info(event, extra={"security": data})


def api_token_used(request, token) -> None:
    """Called when the token's ``last_used_at`` is written, i.e. once per token per minute:
    enough to trace use without a line per API call."""
    security_event(
        "api_token_used",
        request=request,
        user=token.membership.user,
        token_id=token.pk,
        organisation_id=token.organisation_id,
    )


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger and the event's fields."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
        }
        line.update(getattr(record, "security", None) or {"message": record.getMessage()})
        return json.dumps(line, ensure_ascii=False, default=str)
