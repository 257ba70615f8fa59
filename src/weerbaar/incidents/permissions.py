"""Who may do what in the incident register, asked through ``core.permissions``.

- Every member reads the register, except confidential incidents (integrity, people): those
  are seen only by the coordinator and the members assigned as handlers. That visibility is
  decided once, in :func:`can_see`, and applied to every query by ``selectors.visible_incidents``.
- Coordinators record and change every incident they see; theme experts record incidents and
  change those whose themes all lie within their own; board members, auditors and viewers read.
- Own incident types and the yearly conclusion on the patterns are the coordinator's.
"""

from weerbaar.core.models import Role
from weerbaar.core.permissions import can_edit_theme, has_perm, rule


def theme_ids_of(obj) -> set[int]:
    return {t.pk for t in obj.themes.all()}


def sees_all_confidential(membership) -> bool:
    return membership is not None and membership.role == Role.COORDINATOR


@rule("incidents.view")
def can_view(membership, obj=None) -> bool:
    """Read the register (confidential incidents: see ``incidents.see``)."""
    return has_perm(membership, "view")


@rule("incidents.see")
def can_see(membership, incident) -> bool:
    """See this incident: every member for an ordinary one; coordinator and handlers for a confidential one."""
    if not has_perm(membership, "view"):
        return False
    if not incident.confidential or sees_all_confidential(membership):
        return True
    return incident.handlers.filter(pk=membership.pk).exists()


@rule("incidents.create")
def can_create(membership, obj=None) -> bool:
    """Record an incident (the themes chosen are checked by ``incidents.edit_themes``)."""
    return has_perm(membership, "edit")


@rule("incidents.edit_themes")
def can_edit_themes(membership, theme_ids) -> bool:
    return can_edit_theme(membership, theme_ids or ())


@rule("incidents.edit")
def can_edit(membership, incident) -> bool:
    """Change, evaluate or delete this incident: visible to the member and within their themes."""
    return can_see(membership, incident) and can_edit_theme(membership, theme_ids_of(incident))


@rule("incidents.manage")
def can_manage(membership, obj=None) -> bool:
    """Own incident types and the yearly conclusion on the patterns: the coordinator's part."""
    return has_perm(membership, "manage_register")
