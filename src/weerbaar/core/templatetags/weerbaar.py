"""Template helpers: Utrecht form widgets, house-style tokens, small formatting."""

from django import forms, template
from django.utils.html import format_html

register = template.Library()

_WIDGET_CLASSES = {
    forms.Textarea: "utrecht-textarea utrecht-textarea--html-textarea",
    forms.Select: "utrecht-select utrecht-select--html-select",
    forms.SelectMultiple: "utrecht-select utrecht-select--html-select",
    forms.CheckboxInput: "utrecht-checkbox utrecht-checkbox--html-input",
    forms.ClearableFileInput: "utrecht-file-input",
    forms.FileInput: "utrecht-file-input",
}


@register.filter
def is_past(value) -> bool:
    """A date (or moment) before today: the template marks it "te laat" or "verlopen"."""
    import datetime

    from django.utils import timezone

    if isinstance(value, datetime.datetime):
        return value < timezone.now()
    if isinstance(value, datetime.date):
        return value < timezone.localdate()
    return False


@register.filter
def is_choice_list(field) -> bool:
    return isinstance(field.field.widget, (forms.CheckboxSelectMultiple, forms.RadioSelect))


@register.filter
def is_checkbox(field) -> bool:
    return isinstance(field.field.widget, forms.CheckboxInput)


@register.filter
def utrecht(field):
    """Render a bound field's widget with Utrecht classes and accessible error wiring."""
    widget = field.field.widget
    css = next((c for cls, c in _WIDGET_CLASSES.items() if isinstance(widget, cls)), None)
    if css is None:
        css = "utrecht-textbox utrecht-textbox--html-input"
    attrs = {}
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}_help")
    if field.errors:
        described.append(f"{field.auto_id}_error")
        attrs["aria-invalid"] = "true"
        css += " " + css.split(" ")[0] + "--invalid"
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if field.field.required and not isinstance(widget, forms.CheckboxInput):
        attrs["aria-required"] = "true"
    existing = widget.attrs.get("class", "")
    attrs["class"] = (existing + " " + css).strip()
    return field.as_widget(attrs=attrs)


def _luminance(hex_colour: str) -> float:
    hex_colour = hex_colour.lstrip("#")
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast_ratio(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@register.simple_tag(takes_context=True)
def house_style(context):
    """The active municipality's colours as NL Design System token overrides (CSP nonce)."""
    request = context.get("request")
    org = getattr(request, "organisation", None)
    if not org or not org.primary_colour:
        return ""
    nonce = getattr(request, "csp_nonce", "")
    fg = org.primary_text_colour or "#ffffff"
    css = (
        ".utrecht-theme, .weerbaar-theme {"
        f"--weerbaar-brand-background:{org.primary_colour};"
        f"--weerbaar-brand-color:{fg};"
        f"--utrecht-button-primary-action-background-color:{org.primary_colour};"
        f"--utrecht-button-primary-action-color:{fg};"
        "}"
    )
    return format_html('<style nonce="{}">{}</style>', nonce, css)
