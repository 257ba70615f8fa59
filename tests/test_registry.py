"""The registries through which apps give core their cards, demo data, search and exports."""

import pytest
from django.urls import reverse

from weerbaar.core.dashboard import Card
from weerbaar.core.registry import Registry, dashboard_cards, exports, search_documents


def test_registry_keeps_declared_order_and_refuses_a_second_claim_on_a_name():
    registry = Registry("thing")
    registry.register("b", "B", order=2)

    @registry.register("a", order=1)
    def a():
        return "A"

    assert registry.identifiers() == ["a", "b"]
    assert list(registry) == [a, "B"]
    assert registry["b"] == "B" and "a" in registry and "c" not in registry
    with pytest.raises(ValueError):
        registry.register("b", "other")
    registry.register("b", "other", replace=True)
    assert registry["b"] == "other"
    with pytest.raises(KeyError, match="no thing registered as 'c'"):
        registry["c"]


def test_apps_register_their_cards_exports_and_search():
    # Later apps add their own; the first parts keep their place.
    cards = dashboard_cards.identifiers()
    assert cards.index("framework") < cards.index("risks")
    assert {"framework.docx", "framework.pdf", "risks.register"} <= set(exports.identifiers())
    for export in exports:
        kwargs = {"org": "demostad", **dict.fromkeys(export.needs, 1)}
        assert reverse(export.url_name, kwargs=kwargs)
    assert "knowledge" in search_documents


def test_dashboard_shows_the_registered_cards_only(coordinator_client, monkeypatch):
    monkeypatch.setattr(dashboard_cards, "_items", dict(dashboard_cards._items))
    dashboard_cards.register("later", lambda request: Card(title="Later onderdeel", text="Binnenkort."), order=99)
    dashboard_cards.register("hidden", lambda request: None, order=98)
    page = coordinator_client.get("/g/demostad/").content.decode()
    assert page.index("Strategisch kader") < page.index("Risico&#x27;s en maatregelen") < page.index("Later onderdeel")
