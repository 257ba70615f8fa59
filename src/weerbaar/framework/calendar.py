"""The framework's dates on the municipality's calendar: the review dates of the sub-plans."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from weerbaar.core import permissions
from weerbaar.core.registry import CalendarEntry

from . import selectors


def subplan_reviews(membership, start: datetime.date, end: datetime.date) -> list[CalendarEntry]:
    """Each sub-plan's review date; its owner is reminded. A plan already reviewed is not open work."""
    if not permissions.allowed(membership, "core.view"):
        return []
    slug = membership.organisation.slug
    return [
        CalendarEntry(
            date=p.review_on,
            title=_("Herziening deelplan: %(title)s") % {"title": p.title},
            kind="subplan_review",
            url=reverse("framework:subplan", kwargs={"org": slug, "pk": p.pk}),
            owner_id=p.owner_id,
            description=_("Deelplan %(kind)s, status %(status)s.")
            % {"kind": p.get_kind_display(), "status": p.get_status_display()},
        )
        for p in selectors.subplan_review_dates(organisation=membership.organisation, start=start, end=end)
    ]
