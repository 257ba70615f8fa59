"""Who may see and change the statement of applicability.

Every member reads it; only the coordinator decides what applies (it is the municipality's
account of its whole information security, like the strategic framework).
"""

from weerbaar.core.permissions import has_perm, rule


@rule("soa.view")
def can_view(membership, obj=None) -> bool:
    return has_perm(membership, "view")


@rule("soa.edit")
def can_edit(membership, obj=None) -> bool:
    return has_perm(membership, "manage_register")
