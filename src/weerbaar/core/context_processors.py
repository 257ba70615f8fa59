from django.conf import settings

from . import permissions, selectors


def weerbaar(request):
    user = getattr(request, "user", None)
    membership = getattr(request, "membership", None)
    authenticated = bool(user and user.is_authenticated)
    return {
        "organisation": getattr(request, "organisation", None),
        "membership": membership,
        "perms_org": permissions.permissions_for(membership),
        "my_memberships": (
            selectors.user_memberships_across_organisations(user=user)
            if authenticated and not request.path.startswith("/api/")
            else []
        ),
        "is_editor": permissions.is_editor(user),
        "is_administrator": permissions.is_administrator(user),
        "sso_enabled": settings.SSO_ENABLED,
    }
