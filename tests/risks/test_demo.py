"""Demostad's demo register: the content file, loaded through the register's import."""

import io

from django.core.management import call_command
from django_scopes import scopes_disabled

from weerbaar.core.audit import acting_as
from weerbaar.core.models import AuditEntry
from weerbaar.core.registry import demo_loaders
from weerbaar.risks import demo
from weerbaar.risks.content import load_threats
from weerbaar.risks.models import Asset, LocalThreat, Measure, MeasureConflict, Risk, Threat


def test_demo_register_is_the_content_file_and_realistic(register):
    content = demo.demo_register()
    with scopes_disabled():
        assert Threat.objects.count() == 22
        for key, model in (("assets", Asset), ("risks", Risk), ("measures", Measure)):
            refs = set(model.objects.filter(organisation=register).values_list("reference", flat=True))
            assert refs == {row["reference"] for row in content[key]}
        themes = set(Measure.objects.filter(organisation=register).values_list("themes__slug", flat=True))
        assert len(themes) == 8  # every theme has measures
        r1 = Risk.objects.get(organisation=register, reference="R-001")
        assert (r1.inherent_score, r1.residual_score) == (16, 9)
        assert sorted(r1.assets.values_list("reference", flat=True)) == ["BM-002", "BM-017"]
        conflict = MeasureConflict.objects.get(organisation=register)
        assert {conflict.measure_a.reference, conflict.measure_b.reference} == set(content["conflicts"][0]["measures"])
        assert LocalThreat.objects.filter(organisation=register).count() == len(content["own_threats"])
        # The import writes one audit entry per created row, links included.
        creates = AuditEntry.objects.filter(organisation=register, object_type="risks.risk", action="create")
        assert creates.count() == len(content["risks"])
        assert not AuditEntry.objects.filter(organisation=register, object_type="risks.risk", action="update")


def test_demo_register_reload_creates_nothing_and_keeps_changes(register):
    with scopes_disabled():
        Asset.objects.filter(organisation=register, reference="BM-001").update(name="Ons stadhuis")
        Risk.objects.filter(organisation=register, reference="R-002").delete()
        audit = AuditEntry.objects.filter(organisation=register).count()
        with acting_as(None):
            assert demo.load_risks_demo(register) == {"assets": 0, "risks": 1, "measures": 0}
            assert demo.load_risks_demo(register) == {"assets": 0, "risks": 0, "measures": 0}
            load_threats()
        assert Asset.objects.get(organisation=register, reference="BM-001").name == "Ons stadhuis"
        assert Risk.objects.filter(organisation=register, reference="R-002").exists()
        assert AuditEntry.objects.filter(organisation=register).count() == audit + 1
        assert Threat.objects.count() == 22


def test_demo_rows_go_through_the_register_import(register, monkeypatch):
    seen = []
    real = demo.excel.import_register

    def spy(**kwargs):
        seen.append(kwargs["upload"].name)
        return real(**kwargs)

    monkeypatch.setattr(demo.excel, "import_register", spy)
    with scopes_disabled():
        Measure.objects.filter(organisation=register, reference="M-001").delete()
        with acting_as(None):
            assert demo.load_risks_demo(register)["measures"] == 1
    assert seen == ["demo-register.xlsx"]


def test_load_demo_runs_the_registered_loaders_in_their_order(db, monkeypatch):
    order = demo_loaders.identifiers()
    # Later apps add their loaders; the register's come after the framework's and before the cycle's,
    # and the BIO2 catalogue exists before the register's demo measures point at it.
    assert order.index("framework") < order.index("framework-documents") < order.index("risks") < order.index("cycle")
    assert order.index("soa-catalogue") < order.index("risks")
    ran = []
    monkeypatch.setattr(demo_loaders, "_items", {})
    demo_loaders.register("second", lambda orgs: ran.append(("second", sorted(orgs))), order=2)
    demo_loaders.register("first", lambda orgs: ran.append(("first", sorted(orgs))), order=1)
    monkeypatch.setattr("weerbaar.core.management.commands.load_demo.call_command", lambda *a, **k: None)
    with scopes_disabled():
        call_command("load_demo", stdout=io.StringIO())
    assert ran == [("first", ["demostad", "voorbeeldrecht"]), ("second", ["demostad", "voorbeeldrecht"])]
