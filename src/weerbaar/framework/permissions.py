"""Who may do what with the strategic framework, asked through ``core.permissions``.

The framework is the coordinator's document: coordinators edit it and submit it, the board
adopts it (or sends it back), coordinators, theme experts and board members comment on steps.
"""

from weerbaar.core.permissions import has_perm, rule


@rule("framework.edit")
def can_edit(membership, obj=None) -> bool:
    """Edit steps, choices, versions and the own Word template; theme experts comment instead."""
    return has_perm(membership, "edit_framework")


@rule("framework.adopt")
def can_adopt(membership, obj=None) -> bool:
    """Adopt a submitted version: the board's decision."""
    return has_perm(membership, "adopt")


@rule("framework.comment")
def can_comment(membership, obj=None) -> bool:
    """Comment on a step."""
    return has_perm(membership, "comment")


@rule("framework.withdraw")
def can_withdraw(membership, obj=None) -> bool:
    """Take a submitted version back to draft: the coordinator takes it back or the board sends it back."""
    return can_edit(membership) or can_adopt(membership)
