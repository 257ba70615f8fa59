"""The quality cycle's card on the municipality's home page: what is due, overdue and new."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from weerbaar.core import permissions
from weerbaar.core.dashboard import Card

from . import selectors
from .models import Action, Check


def cycle_card(request) -> Card | None:
    if not permissions.allowed(request.membership, "cycle.view"):
        return None
    org = request.organisation
    card = Card(
        title=_("Jaarplan en controles"),
        text=_(
            "De kwaliteitscyclus: het jaarplan met acties, controles met bevindingen, en geaccepteerde afwijkingen."
        ),
        url=reverse("cycle:plan", kwargs={"org": org.slug}),
    )
    if not Action.objects.filter(organisation=org).exists() and not Check.objects.filter(organisation=org).exists():
        card.empty = _("Er is nog geen jaarplan en er zijn nog geen controles vastgelegd.")
        card.link_text = _("Begin met het jaarplan")
        return card
    s = selectors.summary(organisation=org)
    card.status = [
        ngettext("%(n)s actie moet binnen 14 dagen af.", "%(n)s acties moeten binnen 14 dagen af.", s.due_soon)
        % {"n": s.due_soon},
        ngettext("%(n)s actie is te laat.", "%(n)s acties zijn te laat.", s.overdue) % {"n": s.overdue},
        ngettext("%(n)s nieuwe actie in de afgelopen 14 dagen.", "%(n)s nieuwe acties in de afgelopen 14 dagen.", s.new)
        % {"n": s.new},
        ngettext("%(n)s bevinding nog niet opgevolgd.", "%(n)s bevindingen nog niet opgevolgd.", s.open_findings)
        % {"n": s.open_findings},
    ]
    if s.expiring_deviations:
        card.status.append(
            ngettext(
                "%(n)s geaccepteerde afwijking verloopt binnen 60 dagen of is verlopen.",
                "%(n)s geaccepteerde afwijkingen verlopen binnen 60 dagen of zijn verlopen.",
                s.expiring_deviations,
            )
            % {"n": s.expiring_deviations}
        )
    card.link_text = _("Naar het jaarplan")
    return card
