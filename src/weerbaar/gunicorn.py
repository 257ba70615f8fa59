"""Gunicorn settings for ``make serve`` (``gunicorn -c python:weerbaar.gunicorn``).

Every choice comes from the environment, as in settings.py. Command-line flags still win.
"""

import multiprocessing
import os

# Loopback by default: TLS ends at the reverse proxy on the same machine. A container sets
# GUNICORN_BIND=0.0.0.0:8000.
bind = os.environ.get("GUNICORN_BIND", f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}")
# Sync workers: the app is plain WSGI and SQLite/PostgreSQL calls block anyway.
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * multiprocessing.cpu_count())
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))  # a large PDF export may take a while
graceful_timeout = 20
# Recycle workers now and then, so a slow leak in a PDF or Word library never grows unbounded.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "1000"))
max_requests_jitter = 100
accesslog = "-"
errorlog = "-"
# The access log holds no query strings: an invitation token travels in the path, not the query.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def warm_up_pdf() -> None:
    """Render a tiny PDF once: WeasyPrint loads fontconfig and Pango on first use (seconds),
    and without this the first user to ask for a PDF in each worker would wait for it."""
    from weasyprint import HTML

    HTML(string="<p style='font-family: sans-serif'>Weerbaar</p>").write_pdf()


def warm_up_api() -> None:
    """Build the API's OpenAPI document once: the check for unknown query parameters reads it,
    and building it costs about half a second that the first API call with a query string in
    each (recycled) worker would otherwise wait for. Runs once the worker has loaded the app."""
    from weerbaar.api.api import api
    from weerbaar.api.guards import declared_query_names

    declared_query_names(api)


def post_fork(server, worker):
    try:
        warm_up_pdf()
    except Exception:  # a missing font must never stop the worker from serving pages
        server.log.exception("PDF warm-up failed")


def post_worker_init(worker):
    try:
        warm_up_api()
    except Exception:  # the check then builds the document on first use, as before
        worker.log.exception("API warm-up failed")
