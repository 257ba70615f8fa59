"""The open knowledge base: visitors read and search without logging in; workspaces stay closed."""

import pytest
from django.urls import reverse

from weerbaar.knowledge.models import BuildingBlock, Law, LawGroup, Status

OPEN_PAGES = [
    "/welkom/",
    "/kennisbank/",
    "/kennisbank/zoeken/?q=zonering",
    "/kennisbank/thema/integriteit/",
    "/kennisbank/bouwstenen/zonering-gemeentehuis/",
    "/kennisbank/begrippen/",
    "/kennisbank/wetten/",
    "/kennisbank/catalogus/stappen/",
    "/kennisbank/catalogus/scope/",
    "/kennisbank/catalogus/doelen/",
    "/kennisbank/catalogus/uitgangspunten/",
    "/kennisbank/catalogus/pdca/",
    "/kennisbank/catalogus/governance/",
]


@pytest.mark.parametrize("url", OPEN_PAGES)
def test_visitor_reads_the_knowledge_base_without_logging_in(url, client, content, demo):
    response = client.get(url)
    assert response.status_code == 200, url
    body = response.content.decode()
    # No municipal menu, no municipality's name, no member's address.
    assert 'aria-label="Hoofdmenu"' not in body
    assert "Demostad" not in body and "@demostad.example" not in body
    assert "Uitloggen" not in body


def test_municipal_workspace_and_editor_pages_still_ask_to_log_in(client, content, demo):
    for url in (
        "/g/demostad/kennisbank/bijdragen/",
        "/kennisbank/redactie/",
        "/kennisbank/redactie/nieuw/wet/",
        "/kennisbank/redactie/koppelingen/",
        "/kennisbank/wetten/bio2/bewerken/",
        "/kennisbank/wetten/bio2/vervangen/",
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/account/login/"), url


def test_visitor_does_not_see_drafts(client, content):
    block = BuildingBlock.objects.get(slug="zonering-gemeentehuis")
    BuildingBlock.objects.filter(pk=block.pk).update(status=Status.DRAFT)
    assert client.get(block.get_absolute_url()).status_code == 404


def test_start_page_explains_what_weerbaar_is_and_how_to_join(client, content):
    body = client.get(reverse("knowledge:welcome")).content.decode()
    assert "Wat is integrale beveiliging?" in body
    assert "Hoe doet uw gemeente mee?" in body
    assert reverse("account_login") in body
    assert "Over Weerbaar" in client.get(reverse("knowledge:index")).content.decode()


def test_anonymous_search_is_rate_limited_with_the_dutch_page(client, content, settings, monkeypatch):
    from weerbaar.knowledge import views

    monkeypatch.setattr(views, "ANONYMOUS_SEARCH_RATE", "3/1m/ip")
    for _ in range(3):
        assert client.get(reverse("knowledge:search"), {"q": "zonering"}).status_code == 200
    response = client.get(reverse("knowledge:search"), {"q": "zonering"})
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert "te veel verzoeken" in response.content.decode()
    # The empty form is no search and stays reachable.
    assert client.get(reverse("knowledge:search")).status_code == 200


def test_logged_in_members_are_not_rate_limited(coordinator_client, content, monkeypatch):
    from weerbaar.knowledge import views

    monkeypatch.setattr(views, "ANONYMOUS_SEARCH_RATE", "1/1m/ip")
    for _ in range(3):
        assert coordinator_client.get(reverse("knowledge:search"), {"q": "zonering"}).status_code == 200


def test_a_typo_gets_a_did_you_mean_suggestion_that_finds_the_building_block(client, content):
    response = client.get(reverse("knowledge:search"), {"q": "zonerng"})
    assert response.context["page"].paginator.count == 0
    assert response.context["suggestion"] == "zonering"
    body = response.content.decode()
    assert "Bedoelde u:" in body
    followed = client.get(reverse("knowledge:search") + "?" + response.context["suggestion_query"])
    urls = {doc.url for doc in followed.context["page"]}
    assert BuildingBlock.objects.get(slug="zonering-gemeentehuis").get_absolute_url() in urls


def test_no_suggestion_when_the_query_finds_something_or_nothing_is_close(client, content):
    assert client.get(reverse("knowledge:search"), {"q": "zonering"}).context["suggestion"] is None
    assert client.get(reverse("knowledge:search"), {"q": "qqxxzzvv"}).context["suggestion"] is None


def test_type_filter_offers_groups_a_reader_understands(client, content):
    response = client.get(reverse("knowledge:search"), {"q": "risico", "soort": "kader"})
    labels = [label for _value, label in response.context["form"].fields["soort"].choices]
    assert "PDCA-stap" not in labels and "Scope-onderdeel" not in labels
    assert "Wetten en normen" in labels
    kinds = {doc.kind for doc in response.context["page"]}
    assert kinds and kinds <= {"stap", "activiteit", "voorbeeldtekst", "scope", "doel", "uitgangspunt", "pdca"} | {
        "governance"
    }


def test_laws_page_shows_each_law_once_with_an_index(client, content):
    response = client.get(reverse("knowledge:laws"))
    body = response.content.decode()
    for law in Law.objects.published():
        assert body.count(f'id="{law.slug}"') == 1, law.slug
        assert body.count(f'id="wet-{law.slug}"') == 1, law.slug
    # AVG belongs to information security and is also relevant elsewhere: shown once, referred to.
    assert body.count("<h3") == Law.objects.published().count()
    assert 'aria-labelledby="inhoud-wetten"' in body
    assert 'href="#groep-informatiebeveiliging"' in body
    assert "Ook van belang bij dit onderwerp:" in body


def test_laws_page_filters_by_kind_name_group_and_theme(client, content):
    response = client.get(reverse("knowledge:laws"), {"soort": "richtlijn-eu"})
    laws = [law for g in response.context["groups"] for law in g.law_list]
    assert laws and {law.kind for law in laws} == {"richtlijn-eu"}
    response = client.get(reverse("knowledge:laws"), {"naam": "archiefwet"})
    assert [law.slug for g in response.context["groups"] for law in g.law_list] == ["archiefwet"]
    response = client.get(reverse("knowledge:laws"), {"groep": "integriteit", "thema": "integriteit"})
    assert {g.slug for g in response.context["groups"]} == {"integriteit"}
    assert "Alle wetten tonen" in response.content.decode()


def test_building_block_page_prints_no_raw_address_and_speaks_with_u(client, content):
    body = client.get("/kennisbank/bouwstenen/zonering-gemeentehuis/").content.decode()
    assert "http://testserver" not in body
    assert "Hoe begint u?" in body
    assert "Hoe begin je" not in body


def test_laws_page_and_search_queries_do_not_grow_with_laws(client, content, django_assert_max_num_queries):
    group = LawGroup.objects.first()
    theme = Law.objects.filter(themes__isnull=False).first().themes.first()
    for i in range(40):
        law = Law.objects.create(slug=f"extra-{i}", name=f"Extra wet {i}", group=group, kind="wet")
        law.themes.add(theme)
        law.also_in.add(LawGroup.objects.last())
    with django_assert_max_num_queries(15):
        assert client.get(reverse("knowledge:laws")).status_code == 200
    # A visitor's search also counts against the rate limit in the database cache (about 20 queries).
    with django_assert_max_num_queries(30):
        assert client.get(reverse("knowledge:search"), {"q": "wet"}).status_code == 200
