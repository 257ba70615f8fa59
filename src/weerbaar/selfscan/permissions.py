"""Who may do what in the self-scan, asked through ``core.permissions``.

- every member reads the scan rounds, results and (when the municipality takes part) the
  anonymous benchmark;
- the coordinator starts a round, assigns themes, reviews and closes it, changes the settings
  and turns a weak answer into an action or a measure;
- a member answers the themes assigned to them (the coordinator may answer every theme);
- national editors keep the questionnaire and see the national (aggregated) view.
"""

from weerbaar.core.models import Role
from weerbaar.core.permissions import USER, allowed, has_perm, rule

# Roles a theme can be assigned to: those who may edit in the municipality.
ASSIGNABLE_ROLES = (Role.COORDINATOR, Role.EXPERT)


@rule("selfscan.view")
def can_view(membership, obj=None) -> bool:
    """Read scan rounds and results."""
    return has_perm(membership, "view")


@rule("selfscan.manage")
def can_manage(membership, obj=None) -> bool:
    """Start, assign, review and close rounds; the benchmark setting; follow-up of weak answers."""
    return has_perm(membership, "manage_settings")


@rule("selfscan.answer")
def can_answer(membership, assignment=None) -> bool:
    """Answer the questions of a theme: the coordinator always, others when the theme is theirs."""
    if membership is None:
        return False
    if has_perm(membership, "manage_settings"):
        return True
    if assignment is None or membership.role not in ASSIGNABLE_ROLES:
        return False
    return assignment.member_id == membership.pk


@rule("selfscan.edit_questionnaire", subject=USER)
def can_edit_questionnaire(user, obj=None) -> bool:
    """National editors keep the questionnaire."""
    return allowed(user, "core.national_editor")


@rule("selfscan.national_view", subject=USER)
def can_see_national_view(user, obj=None) -> bool:
    """National editors see aggregated figures over all participating municipalities."""
    return allowed(user, "core.national_editor")
