"""``{% word_template_gaps %}``: the chapters the municipality's placeholder template leaves out,
for a warning on the framework page (empty for a style template or no template)."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def word_template_gaps(context) -> list[str]:
    from ..documents import missing_chapters
    from ..models import WordTemplate

    organisation = getattr(context.get("request"), "organisation", None)
    if organisation is None:
        return []
    template = (
        WordTemplate.objects.filter(organisation=organisation, kind=WordTemplate.Kind.PLACEHOLDERS)
        .defer("content")
        .first()
    )
    return missing_chapters(template)
