"""The register's blocks on the board member's start page (see ``core.registry.board_sections``)."""

from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from weerbaar.core.registry import BoardSection

from . import selectors
from .models import Measure

SHOWN = 10


def risk_picture(request) -> BoardSection:
    org = request.organisation
    scale = selectors.scale_for(org)
    inherent, residual = selectors.heatmaps(organisation=org, scale=scale)
    attention = selectors.attention_risks(organisation=org)
    return BoardSection(
        title=_("Risicobeeld"),
        template="risks/board/_risk_picture.html",
        context={
            "heatmaps": [inherent, residual],
            "attention": list(attention[:SHOWN]),
            "attention_total": attention.count(),
            "overview_url": reverse("risks:overview", kwargs={"org": org.slug}),
        },
    )


def measures_and_budget(request) -> BoardSection:
    org = request.organisation
    today = timezone.localdate()
    overdue = (
        Measure.objects.filter(organisation=org, deadline__lt=today)
        .exclude(status__in=Measure.EFFECTIVE)
        .order_by("deadline", "title")
    )
    totals = Measure.objects.filter(organisation=org).aggregate(
        once=Sum("cost_once"),
        yearly=Sum("cost_yearly"),
        open_once=Sum("cost_once", filter=~Q(status__in=Measure.EFFECTIVE)),
    )
    return BoardSection(
        title=_("Maatregelen en begroting"),
        template="risks/board/_measures.html",
        context={
            "overdue": list(overdue[:SHOWN]),
            "overdue_total": overdue.count(),
            "totals": totals,
            "measures_url": reverse("risks:measures", kwargs={"org": org.slug}),
            "budget_url": reverse("risks:budget", kwargs={"org": org.slug}),
        },
    )
