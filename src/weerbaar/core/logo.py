"""The municipality's logo: checked on upload, stored beside the municipality, served to members.

Checks (in core, because the settings page is core's and core imports no app): a PNG must really
be one (signature, Pillow reads it, a limit on pixels); an SVG is parsed with defusedxml (no DTD,
entities or external references) and must hold drawing elements only. An SVG with a script, an
event handler, a link outside the file or an embedded document is refused rather than repaired,
so what is stored is exactly what the user uploaded and saw.
"""

from __future__ import annotations

import base64

from django.utils.translation import gettext as _

# --- logos --------------------------------------------------------------------------------------

MAX_LOGO_BYTES = 512 * 1024
MAX_LOGO_PIXELS = 4000  # width and height of a PNG
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_TYPE = "image/png"
SVG_TYPE = "image/svg+xml"

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
# Drawing elements only: no script, foreignObject, animation (which can change an href), image,
# use of outside files, iframes or links.
SVG_ELEMENTS = {
    "svg", "g", "defs", "title", "desc", "metadata", "symbol", "use", "path", "rect", "circle", "ellipse",
    "line", "polyline", "polygon", "text", "tspan", "textPath", "linearGradient", "radialGradient", "stop",
    "clipPath", "mask", "pattern", "filter", "feGaussianBlur", "feOffset", "feBlend", "feFlood",
    "feComposite", "feMerge", "feMergeNode", "feColorMatrix", "style", "marker",
}  # fmt: skip
_HREF_ATTRIBUTES = {"href", f"{{{XLINK_NS}}}href"}
# Drawing programs keep their own settings in these namespaces; browsers ignore them.
_EDITOR_NAMESPACES = {
    "http://www.inkscape.org/namespaces/inkscape",
    "http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd",
}


class UnsafeImage(Exception):
    """The image was refused; ``message`` is Dutch and meant for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def check_logo(name: str, content: bytes) -> str:
    """Check an uploaded logo (PNG or SVG) and return its content type, or raise :class:`UnsafeImage`.

    A PNG must really be one (signature, Pillow reads it, not too many pixels). An SVG is parsed
    with defusedxml (no DTD, entities or external references) and must hold drawing elements only:
    an SVG with a script, an event handler, a link to outside the file or an embedded
    document is refused rather than repaired, so what is stored is what the user uploaded.
    """
    if len(content) > MAX_LOGO_BYTES:
        raise UnsafeImage(
            _("Het logo is te groot (%(size)s kB); het maximum is %(max)s kB.")
            % {"size": round(len(content) / 1024), "max": MAX_LOGO_BYTES // 1024}
        )
    if not content:
        raise UnsafeImage(_("Het logo is leeg."))
    lower = name.lower()
    if lower.endswith(".png"):
        _check_png(content)
        return PNG_TYPE
    if lower.endswith(".svg"):
        _check_svg(content)
        return SVG_TYPE
    raise UnsafeImage(_("Upload het logo als PNG- of SVG-bestand."))


def _check_png(content: bytes) -> None:
    if not content.startswith(PNG_SIGNATURE):
        raise UnsafeImage(_("Dit bestand is geen PNG-afbeelding."))
    import io

    from PIL import Image

    try:
        with Image.open(io.BytesIO(content)) as image:
            width, height = image.size
            if image.format != "PNG":
                raise UnsafeImage(_("Dit bestand is geen PNG-afbeelding."))
            if width > MAX_LOGO_PIXELS or height > MAX_LOGO_PIXELS:
                raise UnsafeImage(
                    _("Het logo is te groot (%(w)s × %(h)s beeldpunten); het maximum is %(max)s × %(max)s.")
                    % {"w": width, "h": height, "max": MAX_LOGO_PIXELS}
                )
            image.verify()
    except UnsafeImage:
        raise
    except Exception:  # Pillow raises many kinds of errors for a broken file
        raise UnsafeImage(_("Deze PNG-afbeelding is beschadigd."))


def _check_svg(content: bytes) -> None:
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    refused = _("Dit SVG-bestand bevat meer dan een tekening (%(what)s) en wordt om veiligheidsredenen geweigerd.")
    try:
        root = fromstring(content, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise UnsafeImage(refused % {"what": _("een DTD of entiteiten")})
    except Exception:  # ParseError and friends
        raise UnsafeImage(_("Dit bestand is geen geldig SVG-bestand."))
    if root.tag != f"{{{SVG_NS}}}svg":
        raise UnsafeImage(_("Dit bestand is geen geldig SVG-bestand."))
    _check_svg_element(root, refused)


def _check_svg_element(element, refused: str) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    namespace, _sep, local = tag[1:].partition("}") if tag.startswith("{") else ("", "", tag)
    if namespace in _EDITOR_NAMESPACES:
        return
    if namespace != SVG_NS or local not in SVG_ELEMENTS:
        raise UnsafeImage(refused % {"what": f"<{local or '?'}>"})
    for attribute, value in element.attrib.items():
        bare = attribute.rpartition("}")[2].lower()
        lowered = "".join(value.split()).lower()
        if bare.startswith("on"):
            raise UnsafeImage(refused % {"what": _("een script (%(name)s)") % {"name": bare}})
        if attribute in _HREF_ATTRIBUTES and not value.strip().startswith("#"):
            raise UnsafeImage(refused % {"what": _("een verwijzing naar buiten het bestand")})
        if "javascript:" in lowered or "url(" in lowered.replace("url(#", "") or bare == "base":
            raise UnsafeImage(refused % {"what": _("een verwijzing naar buiten het bestand")})
    if local == "style":
        text = "".join(element.itertext()).lower()
        if "@import" in text or "url(" in text.replace("url(#", "") or "javascript:" in text:
            raise UnsafeImage(refused % {"what": _("een verwijzing naar buiten het bestand")})
    if local == "metadata":
        return  # editor metadata (RDF, Inkscape) is inert and never shown
    for child in element:
        _check_svg_element(child, refused)


def data_uri(organisation) -> str:
    """The logo as a data: URI (for PDFs, which fetch nothing), or "" without a logo."""
    logo = logo_of(organisation)
    if logo is None:
        return ""
    return f"data:{logo.content_type};base64," + base64.b64encode(bytes(logo.content)).decode("ascii")


def logo_of(organisation):
    """The municipality's OrganisationLogo, or None."""
    if organisation is None or not organisation.logo_type:
        return None
    from .models import OrganisationLogo

    return OrganisationLogo.objects.filter(organisation_id=organisation.pk).first()


def png_of(organisation) -> bytes | None:
    """The logo's bytes when it is a PNG (Word documents cannot show SVG), else None."""
    logo = logo_of(organisation)
    if logo is None or logo.content_type != PNG_TYPE:
        return None
    return bytes(logo.content)
