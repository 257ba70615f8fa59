"""Content corrections from review: the format's nine goals, law kinds, names and sources."""

import re

import pytest
import yaml

from weerbaar.knowledge import content as content_module
from weerbaar.knowledge.models import FrameworkStep, GlossaryTerm, Law, SecurityGoal, Theme


def test_the_content_says_the_format_has_nine_goals_and_explains_the_extra_one(content):
    step = FrameworkStep.objects.get(slug="beveiligingsdoelen")
    assert "negen doelen" in step.explanation and "tien doelen" not in step.explanation
    term = GlossaryTerm.objects.get(slug="beveiligingsdoel")
    assert "negen doelen" in term.definition
    sub_goal = SecurityGoal.objects.get(slug="voorkomen-openbaarmaking")
    assert "onderdeel (a) van het derde doel" in sub_goal.explanation
    for path in content_module.CONTENT_DIR.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\btien (beveiligings)?doelen\b|\btiende beveiligingsdoel", text), path.name


def test_goals_page_explains_the_relation_without_numbering_a_count(client, content):
    body = client.get("/kennisbank/catalogus/doelen/").content.decode()
    assert "negen doelen" in body
    assert "10. " not in body


def test_eu_rules_circulars_and_guidelines_have_their_own_kind(content):
    kinds = dict(Law.objects.values_list("slug", "kind"))
    assert kinds["avg"] == Law.Kind.EU_REGULATION
    assert kinds["richtlijn-2016-680"] == Law.Kind.EU_DIRECTIVE
    assert kinds["circulaire-bewaking-beveiliging"] == Law.Kind.CIRCULAR
    assert kinds["edpb-guidelines-video"] == Law.Kind.GUIDELINE
    assert kinds["twaalf-principes-goed-bestuur"] == Law.Kind.GUIDELINE
    assert Law.Kind.OTHER not in kinds.values()


def test_the_loader_refuses_an_unknown_kind(content, tmp_path, monkeypatch):
    laws = yaml.safe_load((content_module.CONTENT_DIR / "laws.yaml").read_text(encoding="utf-8"))
    laws[0]["laws"][0]["kind"] = "richtlijn"
    (tmp_path / "laws.yaml").write_text(yaml.safe_dump(laws, allow_unicode=True), encoding="utf-8")
    monkeypatch.setattr(content_module, "CONTENT_DIR", tmp_path)
    with pytest.raises(content_module.ContentError, match="unknown kind 'richtlijn'"):
        content_module.load_laws()


def test_theme_names_the_programme_veilige_publieke_taak(content):
    body = Theme.objects.get(slug="personele-beveiliging").body
    assert "Veilige Publieke Taak" in body and "Veilig Publieke Taak" not in body


def test_bibob_is_placed_under_integrity_consistently(content):
    term = GlossaryTerm.objects.get(slug="ondermijning").definition
    assert "Bibob" in term and "thema integriteit" in term
    assert "Bibob) hoort bij integrale veiligheid" not in term


def test_laws_link_to_their_official_source(content):
    assert list(Law.objects.filter(url="").values_list("slug", flat=True)) == []
    # The Regeling SUWI points at its own BWB id (the Wet SUWI is BWBR0013060, the Besluit BWBR0013267).
    assert Law.objects.get(slug="regeling-suwi").url == "https://wetten.overheid.nl/BWBR0013280"
    assert all(url.startswith("https://") for url in Law.objects.exclude(url="").values_list("url", flat=True))


def test_shipped_content_addresses_the_reader_with_u(content):
    for path in content_module.CONTENT_DIR.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        hits = [m.group(0) for m in re.finditer(r"\b(je|jouw|jij)\b", text, re.I)]
        # One quoted remark of a manager keeps its own words.
        assert len(hits) <= (1 if path.name == "building_blocks.yaml" else 0), (path.name, hits)
