"""The municipality's house style for documents: logo, colour and name.

Shared by the PDF (``pdf.render_pdf``) and the Word documents (``word.WordDocument``). The
municipality is the one a caller names, else the one the context names, else the active scope's:
every document is rendered inside its municipality's scope (request or background job).
"""

from __future__ import annotations

DEFAULT_COLOUR = "#154273"


def house_colour(organisation) -> str:
    """The house colour for text on white; a colour too light to read falls back to dark blue."""
    from .charts import contrast

    colour = (getattr(organisation, "primary_colour", "") or "").strip()
    try:
        if colour and contrast(colour, "#ffffff") >= 4.5:
            return colour
    except ValueError:
        pass
    return DEFAULT_COLOUR


def organisation_of(context: dict | None = None):
    """The municipality a document is about: named in the context, else the active scope's."""
    from django_scopes import get_scope

    from weerbaar.core.models import Organisation

    context = context or {}
    for candidate in (context.get("organisation"), getattr(context.get("report"), "organisation", None)):
        if isinstance(candidate, Organisation):
            return candidate
    active = get_scope().get("organisation")
    if isinstance(active, Organisation):
        return active
    if isinstance(active, int):
        return Organisation.objects.filter(pk=active).first()
    return None


def house_style(organisation) -> dict:
    from weerbaar.core.logo import data_uri

    return {
        "name": getattr(organisation, "name", ""),
        "logo": data_uri(organisation) if organisation is not None else "",
        "colour": house_colour(organisation),
    }


def logo_png(organisation) -> bytes | None:
    """The logo for Word (which shows no SVG): the PNG, or None."""
    from weerbaar.core.logo import png_of

    return png_of(organisation) if organisation is not None else None
