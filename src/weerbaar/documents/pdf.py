"""PDF rendering shared by every app: HTML (a Django template) through WeasyPrint.

WeasyPrint needs Debian's pango/harfbuzz libraries; the document must not fetch anything
from the network, so URLs are resolved only against the static files.
"""

from __future__ import annotations

import logging

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from weerbaar.core.text import clean_text


def _url_fetcher(url: str, timeout: int = 10, ssl_context=None):
    from weasyprint import default_url_fetcher

    if url.startswith("data:"):
        return default_url_fetcher(url)
    if url.startswith("static:"):
        path = finders.find(url.removeprefix("static:"))
        if path:
            return default_url_fetcher("file://" + path)
    raise ValueError(f"PDF rendering does not fetch {url!r}")


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    # Control characters are not allowed in HTML; text stored before they were stripped on
    # save may still carry them.
    html = clean_text(html)
    return HTML(string=html, base_url="static:", url_fetcher=_url_fetcher).write_pdf()


def render_pdf(template_name: str, context: dict) -> bytes:
    return html_to_pdf(render_to_string(template_name, context))


# WeasyPrint reports every layout step at INFO; that is noise in the server log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
