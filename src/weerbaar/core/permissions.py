"""The one permission gate: every role decision in Weerbaar is asked here, the same way.

Two layers:

- ``ROLE_PERMISSIONS``: the named role permissions (``view``, ``edit``, ``adopt``, ...), data on
  the membership's role. Each is also a rule named ``core.<name>``.
- Rules: named questions (``"risks.edit_object"``, ``"framework.adopt"``,
  ``"knowledge.edit"``) declared in each app's own ``permissions.py`` with :func:`register_rule`.
  A rule may look at an object (the themes of a risk, the two measures of a conflict) and is
  built on the base layer, so a rule is written once and views, templates (``{% allowed %}``),
  services and the API ask it through :func:`allowed` / :func:`require`.

Apps' ``permissions.py`` modules are imported the first time a rule is looked up, so ``core``
never imports the apps built on it and no ``apps.py`` has to remember to register them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.utils.module_loading import module_has_submodule

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

MEMBER = "member"  # the rule is decided on the active membership (municipal work)
USER = "user"  # the rule is decided on the person (national editors and administrators)


class UnknownRule(ImproperlyConfigured):
    """A rule name nobody declared: a typo must fail loudly, never read as 'refused'."""


@dataclass(frozen=True)
class Rule:
    name: str
    check: Callable[[Any, Any], bool]  # (membership or user, obj) -> bool
    subject: str = MEMBER
    description: str = ""


_RULES: dict[str, Rule] = {}
_discovered = False


def register_rule(
    name: str, check: Callable[[Any, Any], bool], *, subject: str = MEMBER, description: str = ""
) -> Rule:
    """Declare a named rule; an app's ``permissions.py`` calls this at import."""
    if "." not in name:
        raise ValueError(f"Rule names are 'app.rule', got {name!r}")
    if subject not in (MEMBER, USER):
        raise ValueError(f"Unknown rule subject {subject!r}")
    existing = _RULES.get(name)
    if existing is not None and existing.check is not check:
        # A module imported twice under two names would re-declare; a real clash is a bug.
        if getattr(existing.check, "__qualname__", None) != getattr(check, "__qualname__", None):
            raise ImproperlyConfigured(f"Rule {name!r} is declared twice")
    rule = Rule(name=name, check=check, subject=subject, description=description)
    _RULES[name] = rule
    return rule


def rule(name: str, *, subject: str = MEMBER, description: str = ""):
    """Decorator form of :func:`register_rule`."""

    def decorator(func):
        register_rule(name, func, subject=subject, description=description or (func.__doc__ or "").strip())
        return func

    return decorator


def _discover() -> None:
    """Import each Weerbaar app's ``permissions.py`` once (third-party apps' modules of that name are not ours)."""
    global _discovered
    if _discovered:
        return
    _discovered = True
    project = __package__.rsplit(".", 1)[0]
    for config in apps.get_app_configs():
        if config.name.startswith(project + ".") and module_has_submodule(config.module, "permissions"):
            import_module(f"{config.name}.permissions")


def get_rule(name: str) -> Rule:
    # A bare name is a base role permission: ``require(m, "edit")`` is ``core.edit``.
    key = name if "." in name else f"core.{name}"
    found = _RULES.get(key)
    if found is None:
        _discover()
        found = _RULES.get(key)
    if found is None:
        raise UnknownRule(f"Unknown permission rule {name!r}")
    return found


def registered_rules() -> dict[str, Rule]:
    _discover()
    return dict(_RULES)


def _membership_of(subject) -> Membership | None:
    return subject if isinstance(subject, Membership) else None


def _user_of(subject):
    if isinstance(subject, Membership):
        return subject.user
    return subject


def allowed(subject, name: str, obj=None) -> bool:
    """May this member (or, for national rules, this user) do what rule ``name`` names?"""
    found = get_rule(name)
    target = _user_of(subject) if found.subject == USER else _membership_of(subject)
    if target is None:
        return False
    return bool(found.check(target, obj))


def require(subject, name: str, obj=None) -> None:
    """Raise PermissionDenied (403) when :func:`allowed` says no."""
    if not allowed(subject, name, obj):
        raise PermissionDenied


# --- the base layer -------------------------------------------------------------------------


def has_perm(membership: Membership | None, permission: str) -> bool:
    """The role layer: does the member's role hold this named permission?"""
    if membership is None:
        return False
    if permission not in ROLE_PERMISSIONS:
        raise UnknownRule(f"Unknown permission {permission!r}")
    return membership.role in ROLE_PERMISSIONS[permission]


def allowed_theme_ids(membership: Membership) -> set[int] | None:
    """Theme ids an expert is limited to; None means all themes."""
    if membership.role != Role.EXPERT:
        return None
    ids = {t.pk for t in membership.themes.all()}
    return ids or None


def can_edit_theme(membership: Membership | None, theme_ids: Iterable[int]) -> bool:
    """May this member edit an item with these themes? A theme expert may when it carries one of theirs.

    An item about information security and physical security is the concern of both experts:
    each may work on it. An item without any of the expert's themes stays read-only for them.
    """
    if not has_perm(membership, "edit"):
        return False
    allowed_ids = allowed_theme_ids(membership)
    if allowed_ids is None:
        return True
    return bool(set(theme_ids) & allowed_ids)


def permissions_for(membership: Membership | None) -> dict[str, bool]:
    """All named role permissions as booleans, for templates (``perms_org.manage_members``)."""
    return {name: has_perm(membership, name) for name in PERMISSION_NAMES}


def is_editor(user) -> bool:
    return allowed(user, "core.national_editor")


def is_administrator(user) -> bool:
    return allowed(user, "core.national_administrator")


def _role_rule(permission: str):
    def check(membership, obj=None) -> bool:
        return has_perm(membership, permission)

    check.__qualname__ = f"role_rule.{permission}"
    return check


for _name in PERMISSION_NAMES:
    register_rule(f"core.{_name}", _role_rule(_name), description=f"role permission {_name}")


@rule("core.edit_themes")
def _edit_themes(membership, theme_ids) -> bool:
    """Create or change an item in these themes (theme experts only within their own)."""
    return can_edit_theme(membership, theme_ids or ())


@rule("core.national_editor", subject=USER)
def _national_editor(user, obj=None) -> bool:
    """National editors keep the knowledge base."""
    return bool(getattr(user, "is_authenticated", False) and user.national_role == "editor")


@rule("core.national_administrator", subject=USER)
def _national_administrator(user, obj=None) -> bool:
    """Platform administrators manage municipalities."""
    return bool(getattr(user, "is_authenticated", False) and user.national_role == "administrator")
