"""The cycle's dates on the municipality's calendar: action due dates, checks, deviation expiries."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.urls import reverse
from django.utils.translation import gettext as _

from weerbaar.core import permissions
from weerbaar.core.registry import CalendarEntry

from .models import Action, Check, Deviation


def calendar_entries(membership, start: datetime.date, end: datetime.date) -> Iterable[CalendarEntry]:
    if not permissions.allowed(membership, "cycle.view"):
        return []
    org = membership.organisation
    slug = org.slug
    entries = []
    actions = (
        Action.objects.filter(organisation=org, due_date__gte=start, due_date__lte=end)
        .exclude(status=Action.Status.CARRIED_OVER)
        .values_list("pk", "reference", "title", "due_date", "owner_id", "status")
    )
    for pk, ref, title, due, owner_id, status in actions:
        entries.append(
            CalendarEntry(
                date=due,
                title=_("Actie %(ref)s: %(title)s") % {"ref": ref, "title": title},
                kind="action",
                url=reverse("cycle:action_detail", kwargs={"org": slug, "pk": pk}),
                owner_id=owner_id,
                done=status not in Action.OPEN,
            )
        )
    checks = Check.objects.filter(organisation=org, date__gte=start, date__lte=end).values_list(
        "pk", "kind", "title", "date", "owner_id", "status"
    )
    kinds = dict(Check.Kind.choices)
    for pk, kind, title, date, owner_id, status in checks:
        entries.append(
            CalendarEntry(
                date=date,
                title=_("%(kind)s: %(title)s") % {"kind": str(kinds.get(kind, "")).capitalize(), "title": title},
                kind="check",
                url=reverse("cycle:check_detail", kwargs={"org": slug, "pk": pk}),
                owner_id=owner_id,
                done=status == Check.Status.DONE,
            )
        )
    deviations = Deviation.objects.filter(organisation=org, expires_on__gte=start, expires_on__lte=end).values_list(
        "pk", "reference", "title", "expires_on", "owner_id", "ended"
    )
    for pk, ref, title, expires, owner_id, ended in deviations:
        entries.append(
            CalendarEntry(
                date=expires,
                title=_("Afwijking %(ref)s verloopt: %(title)s") % {"ref": ref, "title": title},
                kind="deviation",
                url=reverse("cycle:deviation_detail", kwargs={"org": slug, "pk": pk}),
                owner_id=owner_id,
                done=ended,
                description=_("Beoordeel de afwijking opnieuw: verlengen, beëindigen of een verbeteractie."),
            )
        )
    return entries
