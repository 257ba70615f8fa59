"""The permission gate in templates: ``{% allowed "risks.edit_object" risk as may_edit %}``.

Asks ``core.permissions.allowed`` with the request's active membership (national rules take
the user), so a page offers exactly the actions the view would accept.
"""

from django import template

from weerbaar.core import permissions

register = template.Library()


@register.simple_tag(takes_context=True)
def allowed(context, rule: str, obj=None) -> bool:
    request = context.get("request")
    if request is None:
        return False
    rule_obj = permissions.get_rule(rule)
    subject = request.user if rule_obj.subject == permissions.USER else getattr(request, "membership", None)
    return permissions.allowed(subject, rule, obj)
