"""PDF rendering shared by every app: HTML (a Django template) through WeasyPrint.

WeasyPrint needs Debian's pango/harfbuzz libraries; the document must not fetch anything
from the network, so URLs are resolved only against the static files.

House style: every PDF carries the municipality's logo and house colour. :func:`render_pdf`
adds ``house`` (logo as a data: URI, colour, name) to the context, and the print templates
extend ``documents/print_base.html``, which places the logo at the top of the first page and
colours the headings. The municipality is the one given, else the one the context names
(``organisation`` or ``report.organisation``), else the active scope's.
"""

from __future__ import annotations

import logging

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from weerbaar.core.text import clean_text

from .house import house_style, organisation_of


def _url_fetcher():
    """A fetcher that reads data: URLs and the static files only: a document fetches nothing
    from the network or the file system (WeasyPrint 66+ takes a URLFetcher object)."""
    from weasyprint.urls import URLFetcher

    class LocalFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if url.startswith("static:"):
                path = finders.find(url.removeprefix("static:"))
                if path:
                    return super().fetch("file://" + path, headers)
            raise ValueError(f"PDF rendering does not fetch {url!r}")

    return LocalFetcher(allowed_protocols={"data", "file"}, allow_redirects=False)


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    # Control characters are not allowed in HTML; text stored before they were stripped on
    # save may still carry them.
    html = clean_text(html)
    return HTML(string=html, base_url="static:", url_fetcher=_url_fetcher()).write_pdf()


def render_pdf(template_name: str, context: dict, *, organisation=None) -> bytes:
    organisation = organisation or organisation_of(context)
    return html_to_pdf(render_to_string(template_name, {"house": house_style(organisation), **context}))


# WeasyPrint reports every layout step at INFO; that is noise in the server log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
