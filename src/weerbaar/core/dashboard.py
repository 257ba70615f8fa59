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
