from django_scopes import scopes_disabled

from weerbaar.risks.models import Measure

from .factories import MeasureFactory, RiskFactory


def test_dashboard_card_invites_to_start_then_summarises_the_register(demostad, coordinator_client):
    page = coordinator_client.get("/g/demostad/").content.decode()
    assert "Begin met het register" in page
    with scopes_disabled():
        high = RiskFactory(organisation=demostad, inherent_likelihood=4, inherent_impact=4)
        low = RiskFactory(organisation=demostad, inherent_likelihood=1, inherent_impact=2)
        MeasureFactory(organisation=demostad, risks=[high], status=Measure.Status.IN_PLACE)
        MeasureFactory(organisation=demostad, risks=[low])
    page = coordinator_client.get("/g/demostad/").content.decode()
    assert "2 risico&#x27;s vastgelegd." in page
    assert "1 van 2 maatregelen ingevoerd of gecontroleerd." in page
    assert "1 risico boven het acceptatieniveau zonder geldige acceptatie." in page
    assert 'href="/g/demostad/risico/"' in page
    assert "Naar het integrale beeld" in page
    assert "Begin met het register" not in page
