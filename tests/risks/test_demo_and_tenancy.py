import re

from django.urls import get_resolver
from django_scopes import scopes_disabled

from weerbaar.core.audit import acting_as
from weerbaar.core.models import AuditEntry
from weerbaar.risks.content import load_threats
from weerbaar.risks.demo import load_risks_demo
from weerbaar.risks.models import Asset, LocalThreat, Measure, MeasureConflict, Risk, Threat

from ..conftest import member
from ..test_tenancy_walk import params_of, walk


def test_demo_register_is_realistic_and_idempotent(register):
    with scopes_disabled():
        assert Threat.objects.count() == 22
        counts = (
            Asset.objects.filter(organisation=register).count(),
            Risk.objects.filter(organisation=register).count(),
            Measure.objects.filter(organisation=register).count(),
        )
        assert counts == (28, 25, 34)
        themes = set(Measure.objects.filter(organisation=register).values_list("themes__slug", flat=True))
        assert len(themes) == 8  # every theme has measures
        assert MeasureConflict.objects.filter(organisation=register).count() == 1
        audit = AuditEntry.objects.filter(organisation=register).count()
        with acting_as(None):
            assert load_risks_demo(register) == {"assets": 0, "risks": 0, "measures": 0}
            load_threats()
        assert AuditEntry.objects.filter(organisation=register).count() == audit
        assert Threat.objects.count() == 22
        assert LocalThreat.objects.filter(organisation=register).count() == 2


def register_routes():
    return [route for route, name in walk(get_resolver().url_patterns) if name and name.startswith("risks:")]


def test_every_register_url_with_demostad_ids_is_404_for_another_municipality(register, voorbeeldrecht, login):
    client = login(member(voorbeeldrecht, "coordinator").user)
    with scopes_disabled():
        ids = set()
        for model in (Asset, Risk, Measure, MeasureConflict, LocalThreat):
            ids |= set(model.objects.filter(organisation=register).values_list("pk", flat=True))
        audit_before = AuditEntry.objects.filter(organisation=register).count()
    checked = 0
    for route in register_routes():
        if "pk" not in params_of(route):
            continue
        for pk in sorted(ids)[:40]:
            url = "/" + re.sub(r"<slug:org>", "voorbeeldrecht", route).replace("<int:pk>", str(pk))
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                checked += 1
                assert response.status_code in (404, 405), (method, url, response.status_code)
                assert b"Demostad" not in response.content or response.status_code != 200
    assert checked > 500
    with scopes_disabled():
        assert AuditEntry.objects.filter(organisation=register).count() == audit_before
