from django.conf import settings
from django.urls import reverse

from . import permissions, registry, selectors


def _nav_extra(request, organisation, membership) -> list[dict]:
    """The menu links apps registered in ``registry.nav_items`` that this member may open."""
    if organisation is None or membership is None:
        return []
    items = []
    for item in registry.nav_items:
        if item.rule and not permissions.allowed(membership, item.rule):
            continue
        url = reverse(item.url_name, kwargs={"org": organisation.slug})
        items.append({"label": item.label, "url": url, "current": request.path == url})
    return items


def weerbaar(request):
    user = getattr(request, "user", None)
    membership = getattr(request, "membership", None)
    authenticated = bool(user and user.is_authenticated)
    memberships = (
        selectors.user_memberships_across_organisations(user=user)
        if authenticated and not request.path.startswith("/api/")
        else []
    )
    organisation = getattr(request, "organisation", None)
    # On pages outside a municipality (knowledge base, account), keep the menu of the
    # municipality the user last worked in: links only, no municipal data.
    last = request.session.get("last_organisation") if hasattr(request, "session") else None
    nav_membership = membership or next((m for m in memberships if m.organisation.slug == last), None)
    if nav_membership is None and len(memberships) == 1:
        nav_membership = memberships[0]
    nav_organisation = organisation or (nav_membership.organisation if nav_membership else None)
    return {
        "organisation": getattr(request, "organisation", None),
        "membership": membership,
        "perms_org": permissions.permissions_for(membership),
        "my_memberships": memberships,
        "nav_organisation": nav_organisation,
        "nav_extra": _nav_extra(request, nav_organisation, nav_membership),
        "nav_perms": permissions.permissions_for(nav_membership),
        "is_editor": permissions.is_editor(user),
        "is_administrator": permissions.is_administrator(user),
        "sso_enabled": settings.SSO_ENABLED,
    }
