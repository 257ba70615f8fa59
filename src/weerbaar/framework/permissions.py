"""Who may do what with the strategic framework, asked through ``core.permissions``.

The framework is the coordinator's document: coordinators edit it and submit it, the board
adopts it (or sends it back), coordinators, theme experts and board members comment on steps.
Co-writing: the coordinator may give any member one or more steps of a version to write
(``framework.edit_step``); that member edits those steps whatever their role. Sub-plans are
added by coordinators and theme experts and changed by the coordinator or their owner.
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


def _delegated(membership, entry) -> bool:
    """Has the coordinator given this member the step (a StepEntry, or a ``(version, step)`` pair)?"""
    from .models import StepDelegation

    if membership is None or entry is None:
        return False
    version_id, step = (entry[0].pk, entry[1]) if isinstance(entry, tuple) else (entry.version_id, entry.step)
    return StepDelegation.objects.filter(member=membership, version_id=version_id, step=step).exists()


@rule("framework.edit_step")
def can_edit_step(membership, entry=None) -> bool:
    """Edit one step: the coordinator, or a member the coordinator gave this step (co-writing), whatever their role."""
    return can_edit(membership) or _delegated(membership, entry)


@rule("framework.delegate")
def can_delegate(membership, obj=None) -> bool:
    """Give members edit rights on steps, and take them back: the coordinator."""
    return has_perm(membership, "edit_framework")


@rule("framework.create_subplan")
def can_create_subplan(membership, obj=None) -> bool:
    """Add a sub-plan: the coordinator and theme experts (who usually own a sub-plan)."""
    return has_perm(membership, "edit")


@rule("framework.edit_subplan")
def can_edit_subplan(membership, subplan) -> bool:
    """Change or delete a sub-plan: the coordinator, or its owner when their role may edit."""
    if has_perm(membership, "edit_framework"):
        return True
    return has_perm(membership, "edit") and subplan is not None and subplan.owner_id == membership.pk
