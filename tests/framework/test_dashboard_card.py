from django_scopes import scopes_disabled

from weerbaar.framework.demo import load_demo_frameworks


def test_dashboard_card_invites_to_start_then_shows_versions(demostad, coordinator_client):
    page = coordinator_client.get("/g/demostad/").content.decode()
    assert "Begin met het strategisch kader" in page
    assert 'href="/g/demostad/kader/"' in page
    with scopes_disabled():
        load_demo_frameworks()
    page = coordinator_client.get("/g/demostad/").content.decode()
    assert "Versie 1 vastgesteld op" in page
    assert "Versie 2: concept." in page
    # Only parts that exist register a card; core shows no placeholders of its own.
    assert "Dit onderdeel volgt in een latere versie." not in page
