"""Who may do what in a learning circle, asked through ``core.permissions``.

Circles are not municipal data, so these rules are decided on the person (``subject=USER``):
creating a circle is for national editors and coordinators of a municipality; running one
(inviting, approving, meetings, the circle's settings) is for its active facilitators.
Seeing a circle at all is not a rule here but the selector ``member_circles``.
"""

from django_scopes import scopes_disabled

from weerbaar.core.models import Membership, Role
from weerbaar.core.permissions import USER, allowed, rule


@rule("circles.create", subject=USER)
def can_create(user, obj=None) -> bool:
    """Start a new learning circle (and become its facilitator)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if allowed(user, "core.national_editor"):
        return True
    with scopes_disabled():
        return Membership.objects.filter(user=user, role=Role.COORDINATOR).exists()


@rule("circles.facilitate", subject=USER)
def can_facilitate(user, circle=None) -> bool:
    """Run this circle: invite, approve requests, plan meetings, change the circle."""
    if circle is None or not getattr(user, "is_authenticated", False):
        return False
    from .models import CircleMember

    return CircleMember.objects.filter(
        circle=circle, user=user, state=CircleMember.State.ACTIVE, role=CircleMember.Role.FACILITATOR
    ).exists()
