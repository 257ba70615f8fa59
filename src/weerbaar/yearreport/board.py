"""The yearly report on the board member's start page: reports waiting for adoption, the last adopted."""

from django.urls import reverse
from django.utils.translation import gettext as _

from weerbaar.core.registry import BoardSection

from .models import YearReport


def yearly_report(request) -> BoardSection:
    org = request.organisation
    reports = YearReport.objects.filter(organisation=org).defer("content", "word", "pdf")
    waiting = reports.filter(status=YearReport.Status.SUBMITTED).order_by("submitted_at")
    adopted = reports.filter(status=YearReport.Status.ADOPTED).order_by("-year", "-adopted_on").first()
    return BoardSection(
        title=_("Jaarverslag integrale beveiliging"),
        template="yearreport/board/_yearly_report.html",
        context={
            "waiting": [
                {"report": r, "url": reverse("yearreport:adopt", kwargs={"org": org.slug, "pk": r.pk})} for r in waiting
            ],
            "adopted": adopted,
            "adopted_url": reverse("yearreport:detail", kwargs={"org": org.slug, "pk": adopted.pk}) if adopted else "",
        },
    )
