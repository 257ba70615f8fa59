"""The framework's block on the board member's start page: versions waiting for their decision."""

from django.urls import reverse
from django.utils.translation import gettext as _

from weerbaar.core.registry import BoardSection

from .models import FrameworkVersion


def decisions(request) -> BoardSection:
    org = request.organisation
    waiting = FrameworkVersion.objects.filter(organisation=org, status=FrameworkVersion.Status.SUBMITTED).order_by(
        "submitted_at"
    )
    adopted = (
        FrameworkVersion.objects.filter(organisation=org, status=FrameworkVersion.Status.ADOPTED)
        .order_by("-adopted_on")
        .first()
    )
    return BoardSection(
        title=_("Besluiten die op u wachten"),
        template="framework/board/_decisions.html",
        context={
            "waiting": [
                {"version": v, "url": reverse("framework:version", kwargs={"org": org.slug, "number": v.number})}
                for v in waiting
            ],
            "adopted": adopted,
        },
    )
