"""The home page of a municipality is assembled from cards that each app contributes.

An app registers a function in :data:`weerbaar.core.registry.dashboard_cards` from its
``AppConfig.ready()``; the function receives the request (inside the municipality's scope) and
returns a :class:`Card`, or None to show nothing. Core keeps no cards of its own: a part that
does not exist yet has no card, rather than a placeholder that core would have to know about.
"""

from dataclasses import dataclass, field

from .registry import dashboard_cards


@dataclass
class Card:
    title: str
    text: str
    status: list[str] = field(default_factory=list)  # short facts: "Versie 2 vastgesteld op ..."
    empty: str = ""  # shown when there is nothing yet
    url: str = ""
    link_text: str = ""


def cards_for(request) -> list[Card]:
    cards = (card(request) for card in dashboard_cards)
    return [card for card in cards if card is not None]


def role_text(membership) -> str:
    """What this member may do, in one plain sentence (the start page says it)."""
    from django.utils.translation import gettext as _

    from .models import Role

    texts = {
        Role.COORDINATOR: _(
            "U werkt aan alles: het strategisch kader, het register, de kwaliteitscyclus en de leden. "
            "U dient voorstellen in bij het bestuur."
        ),
        Role.EXPERT: _(
            "U werkt aan de risico's, maatregelen en acties van uw thema's. De rest van de gemeente kunt u lezen."
        ),
        Role.BOARD: _("U leest alles en neemt de besluiten: u stelt het strategisch kader en het jaarverslag vast."),
        Role.AUDITOR: _("U leest alles, ook het logboek van wijzigingen, maar wijzigt niets."),
        Role.VIEWER: _("U kunt alles lezen, maar niets wijzigen."),
    }
    return texts.get(membership.role, "") if membership else ""
