"""The home page of a municipality is assembled from cards that each app contributes.

An app registers a function in its AppConfig.ready(); the function receives the request
(inside the municipality's scope) and returns a :class:`Card`. Parts that do not exist yet
keep a placeholder card here.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _


@dataclass
class Card:
    title: str
    text: str
    status: list[str] = field(default_factory=list)  # short facts: "Versie 2 vastgesteld op ..."
    empty: str = ""  # shown when there is nothing yet
    url: str = ""
    link_text: str = ""


_registry: dict[str, tuple[int, Callable]] = {}


def register(key: str, order: int, card: Callable) -> None:
    """Add an app's card; it replaces the placeholder with the same key."""
    _registry[key] = (order, card)


PLACEHOLDERS = {
    "risks": (
        20,
        Card(
            title=_("Risico's en maatregelen"),
            text=_("Bedrijfsmiddelen, dreigingen, risicoscenario's en maatregelen over alle thema's heen."),
            empty=_("Er zijn nog geen risico's vastgelegd. Dit onderdeel komt binnenkort beschikbaar."),
        ),
    ),
    "quality": (
        30,
        Card(
            title=_("Kwaliteitscyclus"),
            text=_("Jaarplan, controles, incidenten en het meerjarig plan voor trainen, oefenen en testen."),
            empty=_("Nog geen jaarplan of incidenten. Dit onderdeel volgt in een latere versie."),
        ),
    ),
    "assessment": (
        40,
        Card(
            title=_("Zelfscan en leerkringen"),
            text=_("Volwassenheid per thema, anonieme vergelijking en leren van andere gemeenten."),
            empty=_("Nog geen zelfscan uitgevoerd. Dit onderdeel volgt in een latere versie."),
        ),
    ),
}


def cards_for(request) -> list[Card]:
    cards = [(order, func(request)) for order, func in _registry.values()]
    cards += [placeholder for key, placeholder in PLACEHOLDERS.items() if key not in _registry]
    return [card for _, card in sorted(cards, key=lambda item: item[0]) if card is not None]
