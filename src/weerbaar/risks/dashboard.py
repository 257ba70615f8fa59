"""The register's card on the municipality's home page."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from weerbaar.core.dashboard import Card

from . import selectors
from .models import Asset, Measure, Risk


def risks_card(request) -> Card:
    org = request.organisation
    card = Card(
        title=_("Risico's en maatregelen"),
        text=_("Bedrijfsmiddelen, dreigingen, risicoscenario's en maatregelen over alle thema's heen."),
        url=reverse("risks:overview", kwargs={"org": org.slug}),
    )
    risks = Risk.objects.filter(organisation=org).aggregate(total=Count("id"))["total"]
    if not risks and not Asset.objects.filter(organisation=org).exists():
        card.empty = _("Er zijn nog geen bedrijfsmiddelen of risico's vastgelegd.")
        card.link_text = _("Begin met het register")
        return card
    measures = Measure.objects.filter(organisation=org).aggregate(
        total=Count("id"), effective=Count("id", filter=Q(status__in=Measure.EFFECTIVE))
    )
    attention = selectors.attention_risks(organisation=org).count()
    card.status = [
        ngettext("%(n)s risico vastgelegd.", "%(n)s risico's vastgelegd.", risks) % {"n": risks},
        _("%(effective)s van %(total)s maatregelen ingevoerd of gecontroleerd.") % measures,
        ngettext(
            "%(n)s risico boven het acceptatieniveau zonder geldige acceptatie.",
            "%(n)s risico's boven het acceptatieniveau zonder geldige acceptatie.",
            attention,
        )
        % {"n": attention},
    ]
    card.link_text = _("Naar het integrale beeld")
    return card
