"""Who may do what with the calendar (asked through ``core.permissions``).

Every member sees the calendar (each source shows only what the member may see), keeps their
own feed and reminder choice; the planning-and-control moments are the coordinator's setting.
"""

from weerbaar.core.permissions import has_perm, rule


@rule("agenda.view")
def can_view(membership, obj=None) -> bool:
    """See the calendar, subscribe to one's own feed, choose reminders."""
    return has_perm(membership, "view")


@rule("agenda.manage")
def can_manage(membership, obj=None) -> bool:
    """Keep the municipality's planning-and-control moments."""
    return has_perm(membership, "manage_settings")


@rule("agenda.national_dates")
def owns_national_dates(membership, obj=None) -> bool:
    """Be responsible for the ENSIA cycle's fixed dates (self-evaluation, accountability report):
    the municipality's coordinators, so their daily reminder names them."""
    return has_perm(membership, "manage_settings")
