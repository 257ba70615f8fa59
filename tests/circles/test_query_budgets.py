"""List pages of circles do not make more queries as the circle grows."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from weerbaar.circles import services
from weerbaar.circles.files import CheckedFile


def _queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def _grow(people, circle, n):
    for i in range(n):
        thread = services.thread_create(user=people["facilitator"], circle=circle, title=f"Onderwerp {i}", body="Tekst")
        services.post_create(user=people["other"], thread=thread, body=f"Reactie {i}")
        services.document_create(
            user=people["other"],
            circle=circle,
            title=f"Document {i}",
            file=CheckedFile(f"d{i}.txt", "text/plain", b"x"),
        )
        start = timezone.now() + datetime.timedelta(days=i + 1)
        services.meeting_create(
            user=people["facilitator"],
            circle=circle,
            title=f"Bijeenkomst {i}",
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=1),
            location="Zaal",
        )


def test_circle_pages_keep_their_query_count_as_the_circle_grows(client, people, circle):
    client.force_login(people["other"], backend="django.contrib.auth.backends.ModelBackend")
    thread_url = None
    urls = [
        "/leerkringen/",
        f"/leerkringen/{circle.pk}/",
        f"/leerkringen/{circle.pk}/discussie/",
        f"/leerkringen/{circle.pk}/documenten/",
        f"/leerkringen/{circle.pk}/bijeenkomsten/",
        f"/leerkringen/{circle.pk}/deelnemers/",
    ]
    _grow(people, circle, 2)
    thread_url = f"/leerkringen/onderwerp/{circle.threads.order_by('id').first().pk}/"
    small = {url: _queries(client, url) for url in [*urls, thread_url]}
    _grow(people, circle, 30)
    for i in range(30):
        services.post_create(user=people["other"], thread=circle.threads.order_by("id").first(), body=f"Meer {i}")
    large = {url: _queries(client, url) for url in [*urls, thread_url]}
    assert large == small
    assert max(large.values()) <= 20, large
