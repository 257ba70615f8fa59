import datetime

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from weerbaar.core.audit import acting_as
from weerbaar.core.models import Membership, Role
from weerbaar.incidents import services
from weerbaar.incidents.content import load_incident_types
from weerbaar.incidents.demo import load_incidents_demo
from weerbaar.incidents.models import Incident, IncidentType
from weerbaar.knowledge.content import load_catalogue
from weerbaar.knowledge.models import Theme
from weerbaar.risks.demo import load_risks_demo

from ..conftest import member


@pytest.fixture
def catalogue(db, themes):
    load_catalogue()
    load_incident_types()


@pytest.fixture
def register(demo, catalogue):
    """Demostad with the demo risk register (assets, risks, measures) and no incidents yet."""
    org = demo["demostad"]
    with scopes_disabled(), acting_as(None):
        load_risks_demo(org)
    return org


@pytest.fixture
def incidents_demo(register):
    """Demostad with its ~150 demo incidents."""
    with scopes_disabled(), acting_as(None):
        load_incidents_demo(register)
    return register


def theme(slug) -> int:
    with scopes_disabled():
        return Theme.objects.get(slug=slug).pk


def kind(slug) -> IncidentType:
    return IncidentType.objects.get(slug=slug)


@pytest.fixture
def make_incident(register):
    """``make_incident(**overrides)``: an incident recorded by Demostad's coordinator through the service."""

    def _make(by: Membership | None = None, **kw):
        with scopes_disabled():
            by = by or member(register, "coordinator")
            values = {
                "title": "Bezoeker scheldt medewerker uit",
                "occurred_at": timezone.now() - datetime.timedelta(days=2),
                "incident_type": kind("agressie-medewerkers"),
                "themes": [theme("personele-beveiliging")],
                "place": "Gemeentehuis, publiekshal",
            }
            values.update(kw)
            return services.incident_save(organisation=register, membership=by, **values)

    return _make


@pytest.fixture
def confidential(make_incident, register):
    """A confidential integrity incident, handled by the board member."""
    with scopes_disabled():
        board = member(register, "bestuur")
    return make_incident(
        title="Geheim integriteitsonderzoek Jansen",
        incident_type=kind("integriteitsschending"),
        themes=[theme("integriteit")],
        place="Woning wethouder Jansen",
        handlers=[board.pk],
    )


def get(model, **kw):
    with scopes_disabled():
        return model.objects.get(**kw)


__all__ = ["member", "Role", "Incident"]
