"""Demo data (the benchmark shows groups and hides small ones) and what the scan registers in core."""

import io

import pytest
from django.core.management import call_command
from django_scopes import scope, scopes_disabled

from weerbaar.core.models import Organisation
from weerbaar.core.registry import annual_report_sections, bio2_references
from weerbaar.knowledge.models import Bio2Measure
from weerbaar.selfscan import selectors
from weerbaar.selfscan.models import ScanRound

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_demo(demo):
    Bio2Measure.objects.get_or_create(number="5.01.01", defaults={"chapter": "5.1"})
    with scopes_disabled():
        call_command("load_demo", stdout=io.StringIO())
    return demo


def test_demo_has_at_least_twelve_extra_municipalities_with_two_or_three_closed_rounds(full_demo):
    with scopes_disabled():
        orgs = Organisation.objects.exclude(slug__in=["demostad", "voorbeeldrecht"])
        assert orgs.count() >= 12
        assert len({o.province for o in orgs}) >= 4
        assert len({selectors.size_class_of(o.inhabitants) for o in orgs}) >= 3
        for org in orgs:
            assert ScanRound.objects.filter(organisation=org, status="closed").count() in (2, 3)
        assert ScanRound.objects.filter(organisation__slug="demostad", status="open").count() == 1


def test_demo_benchmark_shows_the_whole_group_and_hides_a_small_one(full_demo):
    org = full_demo["demostad"]
    with scope(organisation=org.pk):
        everyone = selectors.benchmark_aggregates_scopes_disabled(organisation=org)
        small = selectors.benchmark_aggregates_scopes_disabled(organisation=org, size_class="zeergroot")
    assert everyone.shown and everyone.municipalities >= 12
    assert not small.shown


def test_yearly_report_chapter_and_bio2_references(full_demo):
    org = full_demo["demostad"]
    year = ScanRound.objects.with_scopes_disabled().filter(organisation=org, status="closed").latest("closed_at").year
    with scope(organisation=org.pk):
        section = annual_report_sections["selfscan"](org, year)
        refs = bio2_references["selfscan"](org)
    assert section.title == "Zelfscan volwassenheid"
    assert any(b["type"] == "chart" for b in section.blocks)
    assert "5.01.01" in refs
    label, url = refs["5.01.01"][0]
    assert "Zelfscan" in label and url.startswith("/g/demostad/zelfscan/")


def test_dashboard_card_shows_the_last_round(full_demo, coordinator_client):
    html = coordinator_client.get("/g/demostad/").content.decode()
    assert "Laatste ronde" in html and "Lopende ronde" in html
