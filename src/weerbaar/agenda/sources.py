"""The calendar sources the agenda app itself registers: the ENSIA cycle's fixed dates, the
municipality's own planning-and-control moments, the framework's next review, and the review
and acceptance dates of risks. Other apps register theirs (actions, checks, deviations, external
incident reports, training) in ``core.registry.calendar_sources`` the same way.

A source gets the member and a date range and returns only what that member may see.
"""

from __future__ import annotations

import calendar
import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from weerbaar.core import permissions
from weerbaar.core.registry import CalendarEntry

from .models import PlanningMoment

TODAY = datetime.date.today  # patched in tests that need a fixed day


def _years(start: datetime.date, end: datetime.date) -> range:
    return range(start.year, end.year + 1)


def ensia_dates(membership, start: datetime.date, end: datetime.date) -> list[CalendarEntry]:
    """ENSIA: the self-evaluation opens 1 July and is due 31 December; the accountability report
    over a year (college statement and assurance report) is due 1 May of the next year.

    The municipality's coordinators are responsible for them (rule ``agenda.national_dates``): for a
    coordinator the entry carries their own membership as owner, so the daily reminder names the
    date in the fourteen days before it. They are dates of the national cycle: once past they are
    shown as passed, never as late.
    """
    if not permissions.allowed(membership, "core.view"):
        return []
    today = TODAY()
    owner_id = membership.pk if permissions.allowed(membership, "agenda.national_dates") else None
    entries = []
    for year in _years(start, end):
        for date, title, kind, description in (
            (
                datetime.date(year, 5, 1),
                _("Verantwoording ENSIA over %(year)s: collegeverklaring en assurancerapport") % {"year": year - 1},
                "verantwoording",
                _("Uiterste datum voor de collegeverklaring en het assurancerapport over het vorige jaar."),
            ),
            (
                datetime.date(year, 7, 1),
                _("ENSIA-zelfevaluatie %(year)s gaat open") % {"year": year},
                "ensia",
                _("Vanaf vandaag kan de zelfevaluatie worden ingevuld."),
            ),
            (
                datetime.date(year, 12, 31),
                _("ENSIA-zelfevaluatie %(year)s afronden") % {"year": year},
                "ensia",
                _("Uiterste datum om de zelfevaluatie af te ronden."),
            ),
        ):
            if start <= date <= end:
                entries.append(
                    CalendarEntry(
                        date=date,
                        title=title,
                        kind=kind,
                        owner_id=owner_id,
                        done=date < today,
                        description=description,
                    )
                )
    return entries


def planning_moments(membership, start: datetime.date, end: datetime.date) -> list[CalendarEntry]:
    """The municipality's own planning-and-control moments; the owner is reminded beforehand."""
    if not permissions.allowed(membership, "core.view"):
        return []
    today = TODAY()
    # Only the coordinator keeps the moments: a link to their page would be a 403 for others.
    url = (
        reverse("agenda:settings", kwargs={"org": membership.organisation.slug})
        if permissions.allowed(membership, "agenda.manage")
        else ""
    )
    return [
        CalendarEntry(
            date=m.date,
            title=m.title,
            kind="planning",
            url=url,
            owner_id=m.owner_id,
            done=m.date < today,
            description=m.description,
        )
        for m in PlanningMoment.objects.filter(
            organisation=membership.organisation, date__gte=start, date__lte=end
        ).order_by("date", "id")
    ]


REVIEW_MONTHS = {"quarterly": 3, "half_yearly": 6, "yearly": 12, "two_yearly": 24, "four_yearly": 48}


def _add_months(date: datetime.date, months: int) -> datetime.date:
    month = date.month - 1 + months
    year, month = date.year + month // 12, month % 12 + 1
    return datetime.date(year, month, min(date.day, calendar.monthrange(year, month)[1]))


def framework_review(membership, start: datetime.date, end: datetime.date) -> list[CalendarEntry]:
    """The next review of the adopted framework: its adoption date plus the review frequency
    chosen in its quality-system step."""
    from weerbaar.framework.models import FrameworkVersion, Step, StepEntry

    if not permissions.allowed(membership, "core.view"):
        return []
    version = (
        FrameworkVersion.objects.filter(
            organisation=membership.organisation, status=FrameworkVersion.Status.ADOPTED, adopted_on__isnull=False
        )
        .order_by("-number")
        .first()
    )
    if version is None:
        return []
    frequency = (
        StepEntry.objects.filter(version=version, step=Step.QUALITY).values_list("review_frequency", flat=True).first()
    )
    if frequency not in REVIEW_MONTHS:
        return []
    date = _add_months(version.adopted_on, REVIEW_MONTHS[frequency])
    if not start <= date <= end:
        return []
    return [
        CalendarEntry(
            date=date,
            title=_("Herziening van het strategisch kader (versie %(n)s)") % {"n": version.number},
            kind="framework_review",
            url=reverse("framework:overview", kwargs={"org": membership.organisation.slug}),
            description=_("Volgens de gekozen frequentie van herziening."),
        )
    ]


def risk_dates(membership, start: datetime.date, end: datetime.date) -> list[CalendarEntry]:
    """Risks to review again (``review_date``) and accepted risks whose acceptance ends (``accepted_until``)."""
    from weerbaar.risks.models import Risk

    if not permissions.allowed(membership, "risks.view"):
        return []
    slug = membership.organisation.slug
    rows = (
        Risk.objects.filter(organisation=membership.organisation)
        .filter(
            Q(review_date__gte=start, review_date__lte=end)
            | Q(treatment=Risk.Treatment.ACCEPT, accepted_until__gte=start, accepted_until__lte=end)
        )
        .only("pk", "reference", "title", "review_date", "accepted_until", "treatment")
        .order_by("pk")
    )
    entries = []
    for risk in rows:
        url = reverse("risks:risk", kwargs={"org": slug, "pk": risk.pk})
        if risk.review_date and start <= risk.review_date <= end:
            entries.append(
                CalendarEntry(
                    date=risk.review_date,
                    title=_("Risico %(name)s herbeoordelen") % {"name": risk},
                    kind="risk_review",
                    url=url,
                )
            )
        if risk.treatment == Risk.Treatment.ACCEPT and risk.accepted_until and start <= risk.accepted_until <= end:
            entries.append(
                CalendarEntry(
                    date=risk.accepted_until,
                    title=_("Acceptatie van risico %(name)s verloopt") % {"name": risk},
                    kind="acceptance",
                    url=url,
                    description=_("Besluit opnieuw: accepteren, of alsnog maatregelen nemen."),
                )
            )
    return entries
