"""Who may change what in the register: the app's rules, asked through ``core.permissions``.

- coordinators edit everything: assets, own threats, the matrix, risks, measures, conflicts;
- theme experts edit risks and measures that carry at least one of their own themes (an
  expert without a theme limit edits all risks and measures), link a measure only to (or
  unlink it only from) risks they may edit, and record conflicts only between two measures
  they may both edit; assets, own threats and the matrix stay with the coordinator;
- board members, auditors and viewers read.

Ask ``permissions.allowed(membership, "risks.edit_object", risk)``; never call these functions
directly, so a rule changed here changes for every view, template, service and API operation.
"""

from weerbaar.core.permissions import can_edit_theme, has_perm, rule


def theme_ids_of(obj) -> set[int]:
    """Theme ids of a saved risk or measure (uses a prefetched ``themes`` when present)."""
    return {t.pk for t in obj.themes.all()}


@rule("risks.view")
def can_view(membership, obj=None) -> bool:
    """Read the register."""
    return has_perm(membership, "view")


@rule("risks.manage_register")
def can_manage_register(membership, obj=None) -> bool:
    """Assets, own threats, the risk matrix: the coordinator's part of the register."""
    return has_perm(membership, "manage_register")


@rule("risks.create_themed")
def can_create_themed(membership, obj=None) -> bool:
    """Add a risk or measure (the themes chosen are checked by ``risks.edit_themes``)."""
    return has_perm(membership, "edit")


@rule("risks.edit_themes")
def can_edit_themed(membership, theme_ids) -> bool:
    """Create or change a risk or measure in these theme ids."""
    return can_edit_theme(membership, theme_ids or ())


@rule("risks.edit_object")
def can_edit_object(membership, obj) -> bool:
    """Change or delete this risk or measure: it carries one of the member's themes."""
    return can_edit_theme(membership, theme_ids_of(obj))


@rule("risks.edit_conflict")
def can_edit_conflict(membership, conflict) -> bool:
    """A conflict between two measures is recorded and changed by a member who may edit both.

    ``conflict`` is a MeasureConflict or a ``(measure_a, measure_b)`` pair (a new conflict).
    """
    if isinstance(conflict, tuple):
        measure_a, measure_b = conflict
    else:
        measure_a, measure_b = conflict.measure_a, conflict.measure_b
    return can_edit_object(membership, measure_a) and can_edit_object(membership, measure_b)
