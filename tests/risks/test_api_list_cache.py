"""The API's register lists are kept per worker until the municipality's data changes
(``api.listcache``, ``core.dataversion``): every kind of write, including those that bypass
Django's signals, gives the next reader the new answer, and no answer crosses municipalities."""

import pytest
from django.db import transaction
from django_scopes import scopes_disabled

from weerbaar.api import listcache
from weerbaar.core import dataversion
from weerbaar.core.audit import acting_as
from weerbaar.framework.demo import load_framework_demo
from weerbaar.framework.models import FrameworkVersion
from weerbaar.knowledge.content import load_laws
from weerbaar.knowledge.models import Bio2Measure, Theme
from weerbaar.risks.models import Asset, Measure, Risk, Threat
from weerbaar.risks.testdata import generate

LISTED = (Asset, Risk, Measure)


def _item(call, kind, pk):
    return next(i for i in call("GET", f"/{kind}?limit=1000").json()["items"] if i["id"] == pk)


def test_a_second_identical_request_is_answered_from_the_kept_list(register, api):
    call = api(register, "coordinator")
    first = call("GET", "/risks?limit=10")
    assert first.status_code == 200 and len(listcache.store) == 1
    again = call("GET", "/risks?limit=10")
    assert again.content == first.content and again["Content-Type"] == first["Content-Type"]
    call("GET", "/risks?limit=10&offset=10")  # another page, another answer kept
    assert len(listcache.store) == 2


def test_writes_through_the_api_show_at_once_also_from_the_other_side_of_a_link(register, api):
    call = api(register, "coordinator")
    before = call("GET", "/assets?limit=1000").json()["count"]
    asset = call("POST", "/assets", {"name": "Nieuwe meldkamer"}).json()
    assert call("GET", "/assets?limit=1000").json()["count"] == before + 1
    risk = call("GET", "/risks?limit=1").json()["items"][0]
    assert _item(call, "risks", risk["id"])["measures"] == risk["measures"]  # kept
    measure = call(
        "POST", "/measures", {"title": "Toegangspas voor de raadzaal", "themes": risk["themes"], "risks": [risk["id"]]}
    ).json()
    assert measure["id"] in _item(call, "risks", risk["id"])["measures"]  # the link was written on the measure
    response = call("PUT", f"/risks/{risk['id']}", {**_writable(risk), "assets": [asset["id"]]})
    assert response.status_code == 200, response.content
    assert _item(call, "risks", risk["id"])["assets"] == [asset["id"]]


def _writable(risk):
    fields = ("title", "scenario", "themes", "inherent_likelihood", "inherent_impact", "revision")
    return {f: risk[f] for f in fields}


def test_writes_that_bypass_signals_still_change_the_answer(register, api):
    call = api(register, "coordinator")
    risk = call("GET", "/risks?limit=1").json()["items"][0]
    count = call("GET", "/risks?limit=1").json()["count"]
    with scopes_disabled():
        Risk.objects.filter(pk=risk["id"]).update(title="Gewijzigd buiten het model om")  # no save(), no signal
    assert _item(call, "risks", risk["id"])["title"] == "Gewijzigd buiten het model om"
    with scopes_disabled(), acting_as(None):
        generate(organisation=register, assets=2, risks=3, measures=2, seed=5)  # bulk_create
    assert call("GET", "/risks?limit=1").json()["count"] == count + 3
    with scopes_disabled():
        Risk.objects.get(pk=risk["id"]).assets.clear()  # a link table emptied in one statement
        Risk.objects.filter(pk=risk["id"]).delete()  # the cascade through the link tables
    assert count + 2 == call("GET", "/risks?limit=1").json()["count"]


def test_national_content_and_the_framework_thread_change_every_answer_that_prints_them(register, api):
    with scopes_disabled(), acting_as(None):
        load_laws()
        load_framework_demo(register)
    call = api(register, "coordinator")
    with scopes_disabled():
        risk = Risk.objects.filter(organisation=register, themes__isnull=False).first()
        theme = risk.themes.first()
    assert theme.slug in _item(call, "risks", risk.pk)["themes"]
    Theme.objects.filter(pk=theme.pk).update(slug="hernoemd-thema")
    assert "hernoemd-thema" in _item(call, "risks", risk.pk)["themes"]
    source = call("GET", "/measures?limit=1").json()["items"][0]["goals_source"]
    assert source == "adopted"
    with scopes_disabled():
        FrameworkVersion.objects.filter(organisation=register).update(status=FrameworkVersion.Status.SUPERSEDED)
    assert call("GET", "/measures?limit=1").json()["items"][0]["goals_source"] == "catalogue"


def test_a_rolled_back_write_leaves_the_kept_answer_valid(register, api):
    call = api(register, "coordinator")
    kept = call("GET", "/assets?limit=5").content
    version = dataversion.current(register.pk)
    with scopes_disabled(), pytest.raises(RuntimeError), transaction.atomic():
        Asset.objects.create(organisation=register, name="Teruggedraaid")
        assert dataversion.current(register.pk) != version  # seen inside the writing transaction
        raise RuntimeError
    assert dataversion.current(register.pk) == version
    assert call("GET", "/assets?limit=5").content == kept


def test_one_municipality_never_gets_the_kept_answer_of_another(register, voorbeeldrecht, api):
    with scopes_disabled(), acting_as(None):
        generate(organisation=voorbeeldrecht, assets=3, risks=4, measures=5, seed=3)
    for kind in ("assets", "risks", "measures"):
        own = api(register, "coordinator")("GET", f"/{kind}?limit=1000").json()
        other = api(voorbeeldrecht, "coordinator")("GET", f"/{kind}?limit=1000").json()
        assert own != other
        with scopes_disabled():
            model = {"assets": Asset, "risks": Risk, "measures": Measure}[kind]
            assert {i["id"] for i in other["items"]} == set(
                model.objects.filter(organisation=voorbeeldrecht).values_list("pk", flat=True)
            )


def _changes(organisation, write) -> bool:
    before = dataversion.current(organisation.pk)
    write()
    return dataversion.current(organisation.pk) != before


@pytest.mark.parametrize("model", LISTED, ids=lambda m: m.__name__)
def test_every_table_behind_the_lists_changes_the_version(register, model):
    """Rows and every link table of the listed models: a new link added to a model without its
    triggers (a migration calling ``core.dataversion.install``) fails here."""
    with scopes_disabled(), acting_as(None):
        load_laws()
        load_framework_demo(register)  # chosen goals and principles to link to
        generate(organisation=register, assets=3, risks=3, measures=3, seed=9)
        row = model.objects.filter(organisation=register).first()
        assert _changes(register, lambda: model.objects.filter(pk=row.pk).update(reference="X-1"))
        for field in model._meta.many_to_many:
            through = field.remote_field.through
            target = field.related_model
            other = (
                target.objects.filter(organisation=register).first()
                if hasattr(target, "organisation_id") or "organisation" in {f.name for f in target._meta.fields}
                else target._base_manager.first()
            )
            assert other is not None, f"nothing to link {field} to"
            fields = {field.m2m_field_name(): row, field.m2m_reverse_field_name(): other}
            through.objects.filter(**fields).delete()
            assert _changes(register, lambda: through.objects.create(**fields)), through._meta.db_table
            assert _changes(register, lambda: through.objects.filter(**fields).delete()), through._meta.db_table


@pytest.mark.parametrize("model, field", ((Theme, "name"), (Threat, "name"), (Bio2Measure, "number")))
def test_national_content_changes_the_national_version(register, model, field):
    with scopes_disabled():
        row = model._base_manager.first()
    before = dataversion.current(register.pk)[1]
    model._base_manager.filter(pk=row.pk).update(**{field: getattr(row, field)})
    assert dataversion.current(register.pk)[1] != before


def test_the_store_keeps_the_most_recent_answers_within_its_bytes():
    store = listcache._Store(max_bytes=100)
    for key in "abcd":
        store.put(key, b"x" * 25)
    assert store.get("a")  # a is now the most recently used
    store.put("e", b"x" * 25)
    assert store.get("b") is None and all(store.get(key) for key in "acde")
    store.put("huge", b"x" * 26)  # more than a quarter of the whole: not kept, nothing pushed out
    assert store.get("huge") is None and len(store) == 4
