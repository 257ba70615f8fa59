import pytest
from django_scopes import scopes_disabled

from weerbaar.core.audit import acting_as
from weerbaar.knowledge.content import load_catalogue
from weerbaar.risks.demo import load_risks_demo


@pytest.fixture
def catalogue(db, themes):
    load_catalogue()


@pytest.fixture
def register(demo, catalogue):
    """Demostad with the demo register (threat catalogue, assets, risks, measures, a conflict)."""
    org = demo["demostad"]
    with scopes_disabled(), acting_as(None):
        load_risks_demo(org)
    return org
