"""Named permissions, one place for views, templates and the API.

A role is data on the membership; what a role may do is decided here and nowhere else.
"""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied

from .models import Membership, Role

# Permission name -> roles that hold it.
ROLE_PERMISSIONS: dict[str, set[str]] = {
    "view": {Role.COORDINATOR, Role.EXPERT, Role.BOARD, Role.AUDITOR, Role.VIEWER},
    "edit": {Role.COORDINATOR, Role.EXPERT},  # experts: within their themes, see can_edit_theme
    "manage_members": {Role.COORDINATOR},
    "manage_settings": {Role.COORDINATOR},
    "edit_framework": {Role.COORDINATOR},  # the strategic framework is the coordinator's document
    "manage_register": {Role.COORDINATOR},  # assets, own threats and the risk matrix
    "view_audit": {Role.COORDINATOR, Role.AUDITOR},
    "adopt": {Role.BOARD},
    "comment": {Role.COORDINATOR, Role.EXPERT, Role.BOARD},
    "use_api": {Role.COORDINATOR, Role.EXPERT, Role.BOARD, Role.AUDITOR, Role.VIEWER},
}

PERMISSION_NAMES = tuple(ROLE_PERMISSIONS)


def has_perm(membership: Membership | None, permission: str) -> bool:
    if membership is None:
        return False
    if permission not in ROLE_PERMISSIONS:
        raise ValueError(f"Unknown permission {permission!r}")
    return membership.role in ROLE_PERMISSIONS[permission]


def require(membership: Membership | None, permission: str) -> None:
    """Raise PermissionDenied (403) when the member's role lacks the permission."""
    if not has_perm(membership, permission):
        raise PermissionDenied


def allowed_theme_ids(membership: Membership) -> set[int] | None:
    """Theme ids an expert is limited to; None means all themes."""
    if membership.role != Role.EXPERT:
        return None
    ids = {t.pk for t in membership.themes.all()}
    return ids or None


def can_edit_theme(membership: Membership | None, theme_ids: Iterable[int]) -> bool:
    """May this member edit an item that belongs to all of these themes?"""
    if not has_perm(membership, "edit"):
        return False
    allowed = allowed_theme_ids(membership)
    if allowed is None:
        return True
    theme_ids = set(theme_ids)
    return bool(theme_ids) and theme_ids <= allowed


def permissions_for(membership: Membership | None) -> dict[str, bool]:
    """All named permissions as booleans, for templates (``perms.manage_members``)."""
    return {name: has_perm(membership, name) for name in PERMISSION_NAMES}


def is_editor(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.national_role == "editor")


def is_administrator(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.national_role == "administrator")
