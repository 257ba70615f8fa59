"""Rendering the Markdown that content items are written in, sanitised."""

import re

import markdown as markdown_lib
import nh3
from django import template
from django.utils.safestring import mark_safe

register = template.Library()

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "blockquote", "code", "pre",
    "h2", "h3", "h4", "h5", "h6", "a", "table", "thead", "tbody", "tr", "th", "td", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}}


_HEADING = re.compile(r"<(/?)h([1-6])>")


def _shift_headings(html: str, top: int) -> str:
    """Renumber headings so the highest one in the text is <h{top}>: heading levels stay in order on the page."""
    levels = [int(m.group(2)) for m in _HEADING.finditer(html)]
    if not levels:
        return html
    shift = top - min(levels)
    return _HEADING.sub(lambda m: f"<{m.group(1)}h{min(6, max(1, int(m.group(2)) + shift))}>", html)


def render_markdown(text: str, top: int = 3) -> str:
    html = markdown_lib.markdown(text or "", extensions=["tables", "sane_lists"], output_format="html")
    html = _shift_headings(html, top)
    html = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    return _add_classes(html)


_CLASSES = {
    "<p>": '<p class="utrecht-paragraph">',
    "<ul>": '<ul class="utrecht-unordered-list">',
    "<ol>": '<ol class="utrecht-ordered-list">',
    "<h2>": '<h2 class="utrecht-heading-2">',
    "<h3>": '<h3 class="utrecht-heading-3">',
    "<h4>": '<h4 class="utrecht-heading-4">',
    "<table>": '<table class="utrecht-table">',
    "<a ": '<a class="utrecht-link" ',
}


def _add_classes(html: str) -> str:
    for tag, replacement in _CLASSES.items():
        html = html.replace(tag, replacement)
    return html


@register.filter(name="markdown")
def markdown_filter(text: str, top: int = 3):
    """``{{ item.body|markdown }}``: Markdown to HTML, only safe tags kept; ``|markdown:2`` starts headings at h2."""
    return mark_safe(render_markdown(text, int(top)))  # noqa: S308 - sanitised by nh3 above


@register.simple_tag
def highlight(text, terms, window=None):
    from weerbaar.knowledge.search import highlight as _highlight

    return _highlight(text or "", terms, window=window)


@register.filter
def kind_label(kind: str) -> str:
    from weerbaar.knowledge.search import KINDS

    return KINDS.get(kind, kind)
