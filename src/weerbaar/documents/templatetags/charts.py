"""``{% chart_svg chart %}``: draw chart data from :mod:`weerbaar.documents.charts` in a template."""

from django import template

from weerbaar.documents import charts

register = template.Library()


@register.simple_tag
def chart_svg(chart, id_prefix: str = "chart", links: bool = False, css_class: str = ""):
    return charts.render_svg(chart, id_prefix=id_prefix, links=links, css_class=css_class)
