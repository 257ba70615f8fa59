"""Who may do what in the training, exercise and test plan (asked through ``core.permissions``).

Everyone who reads the municipality reads the plan. The plan spans all themes, so it is kept by
the coordinator and by theme experts without a theme limit; a theme expert limited to some
themes reads it, like the board, the auditor and readers.
"""

from weerbaar.core.permissions import allowed_theme_ids, has_perm, rule


@rule("training.view")
def can_view(membership, obj=None) -> bool:
    """Read the training, exercise and test plan."""
    return has_perm(membership, "view")


@rule("training.manage")
def can_manage(membership, obj=None) -> bool:
    """Keep the plan: groups, activities, dates, participation and evaluations."""
    return has_perm(membership, "edit") and allowed_theme_ids(membership) is None
