"""The shape of every error the API answers: RFC 9457 problem details (NL GOV API Design Rules).

Lives in core so that core's own answers (a busy database) and the API's error contract in
``weerbaar.api.errors`` build the same body without core importing the API.
"""

from django.http import JsonResponse

PROBLEM_JSON = "application/problem+json"


def problem(request, status: int, title: str, detail: str = "", **extra) -> JsonResponse:
    body = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    body["instance"] = request.path
    body.update(extra)
    return JsonResponse(body, status=status, content_type=PROBLEM_JSON)
