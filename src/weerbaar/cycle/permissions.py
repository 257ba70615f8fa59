"""Who may do what in the yearly plan and the checks, asked through ``core.permissions``.

- coordinators change everything and start next year's plan;
- theme experts create and change actions, checks and deviations that carry one of
  their own themes (an expert without a theme limit changes all); a finding follows its check;
- the owner of an action (when their role may edit at all) may move its status, also when the
  action's themes lie outside their own: they are the one doing it;
- board members, auditors and viewers read.
"""

from weerbaar.core.permissions import can_edit_theme, has_perm, rule


def theme_ids_of(obj) -> set[int]:
    return {t.pk for t in obj.themes.all()}


@rule("cycle.view")
def can_view(membership, obj=None) -> bool:
    """Read the yearly plan, the checks, findings and deviations."""
    return has_perm(membership, "view")


@rule("cycle.create")
def can_create(membership, obj=None) -> bool:
    """Add an action, check or deviation (the themes chosen are checked by ``cycle.edit_themes``)."""
    return has_perm(membership, "edit")


@rule("cycle.edit_themes")
def can_edit_themes(membership, theme_ids) -> bool:
    """Create or change an item of the cycle in these theme ids."""
    return can_edit_theme(membership, theme_ids or ())


@rule("cycle.edit_object")
def can_edit_object(membership, obj) -> bool:
    """Change or delete this action, check or deviation (a finding: its check)."""
    if hasattr(obj, "source_check"):
        obj = obj.source_check
    return can_edit_theme(membership, theme_ids_of(obj))


@rule("cycle.set_status")
def can_set_status(membership, action) -> bool:
    """Move an action's status: who may edit it, or its owner."""
    if membership is not None and action.owner_id == membership.pk and has_perm(membership, "edit"):
        return True
    return can_edit_object(membership, action)


@rule("cycle.manage_plan")
def can_manage_plan(membership, obj=None) -> bool:
    """Start next year's plan (carry open actions over): the coordinator's part of the cycle."""
    return has_perm(membership, "edit_framework")
