"""The framework's card on the municipality's home page."""

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from weerbaar.core.dashboard import Card

from .models import FrameworkVersion


def framework_card(request) -> Card:
    org = request.organisation
    url = reverse("framework:overview", kwargs={"org": org.slug})
    card = Card(
        title=_("Strategisch kader"),
        text=_("Visie, scope, beveiligingsdoelen, uitgangspunten en kwaliteitssysteem, vastgesteld door het college."),
        url=url,
    )
    versions = list(FrameworkVersion.objects.filter(organisation=org).order_by("-number")[:5])
    adopted = next((v for v in versions if v.status == FrameworkVersion.Status.ADOPTED), None)
    open_version = next(
        (v for v in versions if v.status in (FrameworkVersion.Status.DRAFT, FrameworkVersion.Status.SUBMITTED)), None
    )
    if adopted:
        card.status.append(
            _("Versie %(n)s vastgesteld op %(date)s.")
            % {"n": adopted.number, "date": date_format(adopted.adopted_on) if adopted.adopted_on else "—"}
        )
    if open_version:
        card.status.append(
            _("Versie %(n)s: %(status)s.") % {"n": open_version.number, "status": open_version.get_status_display()}
        )
    if not versions:
        card.empty = _("Uw gemeente heeft nog geen strategisch kader.")
        card.link_text = _("Begin met het strategisch kader")
    else:
        card.link_text = _("Naar het strategisch kader")
    return card
