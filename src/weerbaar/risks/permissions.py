"""Who may change what in the register, on top of the named permissions in core.permissions.

- coordinators edit everything: assets, own threats, the matrix, risks, measures, conflicts;
- theme experts edit risks and measures whose themes all lie within their own themes (an
  expert without a theme limit edits all risks and measures), link a measure only to (or
  unlink it only from) risks they may edit, and record conflicts only between two measures
  they may both edit; assets, own threats and the matrix stay with the coordinator;
- board members, auditors and viewers read.
"""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied

from weerbaar.core.models import Membership
from weerbaar.core.permissions import can_edit_theme, has_perm


def can_view(membership: Membership | None) -> bool:
    return has_perm(membership, "view")


def can_manage_register(membership: Membership | None) -> bool:
    """Assets, own threats, the risk matrix: the coordinator's part of the register."""
    return has_perm(membership, "manage_register")


def can_edit_themed(membership: Membership | None, theme_ids: Iterable[int]) -> bool:
    """May this member create or change a risk or measure in these themes?"""
    return can_edit_theme(membership, theme_ids)


def can_create_themed(membership: Membership | None) -> bool:
    return has_perm(membership, "edit")


def theme_ids_of(obj) -> set[int]:
    """Theme ids of a saved risk or measure (uses a prefetched ``themes`` when present)."""
    return {t.pk for t in obj.themes.all()}


def can_edit_object(membership: Membership | None, obj) -> bool:
    return can_edit_themed(membership, theme_ids_of(obj))


def can_edit_conflict(membership: Membership | None, measure_a, measure_b) -> bool:
    """A conflict between two measures is recorded and changed by a member who may edit both."""
    return can_edit_object(membership, measure_a) and can_edit_object(membership, measure_b)


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied
