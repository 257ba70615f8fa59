"""Who may do what with the yearly report, asked through ``core.permissions``.

Like the strategic framework: the coordinator builds the report, writes the foreword and the
conclusions and submits it; the board adopts it (or sends it back); everyone in the municipality
(auditor and reader included) reads it and downloads its documents.
"""

from weerbaar.core.permissions import has_perm, rule


@rule("yearreport.view")
def can_view(membership, obj=None) -> bool:
    """Read yearly reports and download them as Word and PDF."""
    return has_perm(membership, "view")


@rule("yearreport.edit")
def can_edit(membership, obj=None) -> bool:
    """Build a yearly report, write its foreword and conclusions, submit it, start a new version."""
    return has_perm(membership, "edit_framework")


@rule("yearreport.adopt")
def can_adopt(membership, obj=None) -> bool:
    """Adopt a submitted yearly report: the board's decision."""
    return has_perm(membership, "adopt")


@rule("yearreport.withdraw")
def can_withdraw(membership, obj=None) -> bool:
    """Take a submitted report back to draft: the coordinator takes it back or the board sends it back."""
    return can_edit(membership) or can_adopt(membership)
