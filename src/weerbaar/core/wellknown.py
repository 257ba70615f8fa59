"""/.well-known/security.txt (RFC 9116): where to report a vulnerability, open without login."""

from datetime import UTC, timedelta

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET


@login_not_required
@require_GET
def security_txt(request):
    # Expires a year ahead, computed on each request: the file never goes stale on a running
    # instance, and the RFC asks for less than a year.
    expires = (timezone.now() + timedelta(days=364)).replace(microsecond=0)
    lines = [f"Contact: {contact}" for contact in settings.SECURITY_CONTACTS]
    lines += [
        f"Expires: {expires.astimezone(UTC).isoformat().replace('+00:00', 'Z')}",
        "Preferred-Languages: nl, en",
        f"Policy: {settings.SECURITY_POLICY_URL}",
        f"Canonical: {request.build_absolute_uri('/.well-known/security.txt')}",
    ]
    response = HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "max-age=86400"
    return response
