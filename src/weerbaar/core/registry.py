"""Registries that the apps built on core fill from their ``AppConfig.ready()``.

Core shows dashboard cards, loads demo data, searches and lists exports without knowing which
apps exist: an app registers its piece here, and core iterates the registry. That keeps the
dependency one way (apps import core, core imports no app), so a new part such as the quality
cycle is added by registering, not by editing core. Modelled on Open Formulieren's
``openforms.plugins.registry.BaseRegistry``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class Registry(Generic[T]):
    """Items by unique identifier, iterated in their declared ``order`` (then identifier)."""

    def __init__(self, name: str):
        self.name = name
        self._items: dict[str, tuple[int, T]] = {}

    def register(self, identifier: str, item: T | None = None, *, order: int = 100, replace: bool = False):
        """Register ``item`` under ``identifier``; without ``item``, returns a decorator.

        A second registration under the same identifier is a programming error (two apps
        claiming one name), unless ``replace`` says it is meant (tests swapping a piece).
        """

        def add(value: T) -> T:
            if identifier in self._items and not replace:
                raise ValueError(f"{self.name} {identifier!r} is already registered")
            self._items[identifier] = (order, value)
            return value

        if item is None:
            return add
        return add(item)

    def unregister(self, identifier: str) -> None:
        self._items.pop(identifier, None)

    def __getitem__(self, identifier: str) -> T:
        try:
            return self._items[identifier][1]
        except KeyError:
            raise KeyError(f"no {self.name} registered as {identifier!r}") from None

    def get(self, identifier: str, default: T | None = None) -> T | None:
        entry = self._items.get(identifier)
        return entry[1] if entry else default

    def __contains__(self, identifier: object) -> bool:
        return identifier in self._items

    def items(self) -> list[tuple[str, T]]:
        ordered = sorted(self._items.items(), key=lambda kv: (kv[1][0], kv[0]))
        return [(identifier, value) for identifier, (_order, value) in ordered]

    def identifiers(self) -> list[str]:
        return [identifier for identifier, _ in self.items()]

    def __iter__(self) -> Iterator[T]:
        return iter([value for _identifier, value in self.items()])

    def __len__(self) -> int:
        return len(self._items)


# --- what the registries hold ----------------------------------------------------------------


@dataclass(frozen=True)
class Export:
    """A document a municipality can download; a later export page lists these.

    ``url_name`` is reversed with the municipality's slug (``org``) and, when
    ``needs`` names it, the id of the object exported (``pk``).
    """

    title: str
    formats: tuple[str, ...]
    url_name: str
    app: str
    needs: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True)
class SearchDocuments:
    """Which model an app makes searchable, and the function that searches it.

    ``search(query, **kwargs)`` returns the matching items; core knows neither model nor fields.
    """

    title: str
    app: str
    search: Callable[..., Any]
    fields: tuple[str, ...] = field(default=())


# A card on the municipality's home page: ``card(request) -> dashboard.Card | None``.
dashboard_cards: Registry[Callable] = Registry("dashboard card")
# Demo data: ``loader(organisations: dict[slug, Organisation]) -> Any``, run in order by load_demo.
demo_loaders: Registry[Callable] = Registry("demo loader")
search_documents: Registry[SearchDocuments] = Registry("search documents")
exports: Registry[Export] = Registry("export")
# Checks after a member's municipality scope is opened; the first response returned is sent
# instead of the page (accounts registers the MFA requirement).
membership_gates: Registry[Callable] = Registry("membership gate")
# ``authenticate(request) -> token | None`` for the API; the token has ``membership`` and
# ``organisation_id`` (accounts registers its API tokens).
api_authenticators: Registry[Callable] = Registry("API authenticator")


@dataclass(frozen=True)
class NavItem:
    """A link in a municipality's main menu: ``url_name`` is reversed with ``org=<slug>``.

    ``rule`` names a rule of the permission gate (``"cycle.view"``); the link shows only to a
    member who passes it, so a menu never offers a page that answers 403.
    """

    label: str
    url_name: str
    rule: str = ""


@dataclass(frozen=True)
class CalendarEntry:
    """One date on the municipality's calendar (and in reminders and the iCalendar feed).

    ``owner_id`` is the id of the Membership responsible (reminders go to that member);
    ``done`` entries are shown but never reminded of or marked overdue; ``kind`` is a short
    machine name (``"action"``, ``"check"``, ``"training"``, ``"ensia"``) for filters and icons.
    """

    date: Any  # datetime.date
    title: str
    kind: str
    url: str = ""
    owner_id: int | None = None
    done: bool = False
    description: str = ""


@dataclass(frozen=True)
class ReportSection:
    """A chapter of the yearly report to the board (jaarverslag integrale beveiliging).

    ``blocks`` is a list of plain dicts the report renders the same in Word and PDF:
    ``{"type": "paragraph", "text": ...}``, ``{"type": "table", "headers": [...], "rows": [[...]]}``,
    ``{"type": "chart", "chart": <documents.charts chart>, "alt": ...}``,
    ``{"type": "heading", "text": ...}``, ``{"type": "bullets", "items": [...]}``.
    """

    title: str
    blocks: list = field(default_factory=list)


# Main-menu links of a municipality, in order, beside core's own.
nav_items: Registry[NavItem] = Registry("menu item")
# ``source(membership, start: date, end: date) -> Iterable[CalendarEntry]``: the dates an app puts
# on the calendar between start and end (inclusive), already limited to what ``membership`` may see.
calendar_sources: Registry[Callable] = Registry("calendar source")
# ``section(organisation, year: int) -> ReportSection | None``: an app's chapter of the yearly
# report; the report calls every section in order and freezes the result on adoption.
annual_report_sections: Registry[Callable] = Registry("yearly report section")
# ``references(organisation) -> dict[bio2_id, list[tuple[label, url]]]``: what an app holds that
# touches a BIO2 government measure (scan answers, ...), shown in the statement of applicability.
bio2_references: Registry[Callable] = Registry("BIO2 references")


@dataclass(frozen=True)
class BoardSection:
    """A block on the board member's start page: ``template`` rendered with ``context``."""

    title: str
    template: str
    context: dict = field(default_factory=dict)


# ``section(request) -> BoardSection | None``: what a board member (bestuurder) needs to see and
# decide, in order; shown on their start page instead of the coordinator's work overview.
board_sections: Registry[Callable] = Registry("board section")
