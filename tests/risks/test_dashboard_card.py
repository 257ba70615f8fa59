from django_scopes import scopes_disabled

from weerbaar.risks.demo import load_risks_demo


def test_dashboard_card_invites_to_start_then_summarises_the_register(demostad, coordinator_client):
    page = coordinator_client.get("/g/demostad/").content.decode()
    assert "Begin met het register" in page
    with scopes_disabled():
        load_risks_demo(demostad)
    page = coordinator_client.get("/g/demostad/").content.decode()
    assert "25 risico&#x27;s vastgelegd." in page
    assert "maatregelen ingevoerd of gecontroleerd." in page
    assert 'href="/g/demostad/risico/"' in page
    assert "Naar het integrale beeld" in page
    assert "Begin met het register" not in page
