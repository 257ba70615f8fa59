import pytest
from django.utils.html import escape
from django_scopes import scopes_disabled

from weerbaar.core.models import AuditEntry
from weerbaar.knowledge.models import SecurityGoal
from weerbaar.risks.models import Asset, LocalThreat, Measure, MeasureConflict, Risk, Threat

from ..conftest import member
from .conftest import get, theme

BASE = "/g/demostad/risico/"


def risk_post(**extra):
    data = {
        "title": "Bommelding in het gemeentehuis",
        "threat": f"c{Threat.objects.get(slug='agressie-geweld').pk}",
        "scenario": "Anonieme dreigmail over een bom tijdens de raadsvergadering.",
        "themes": [theme("fysieke-beveiliging"), theme("preparatie")],
        "inherent_likelihood": "3",
        "inherent_impact": "5",
        "residual_likelihood": "",
        "residual_impact": "",
        "treatment": "reduce",
        "owner": "Facilitair manager",
    }
    data.update(extra)
    return data


def test_coordinator_records_a_risk_and_its_scores_are_computed(register, coordinator_client):
    with scopes_disabled():
        asset = Asset.objects.get(organisation=register, reference="BM-003")
    response = coordinator_client.post(BASE + "risicos/nieuw/", risk_post(assets=[asset.pk]))
    assert response.status_code == 302
    risk = get(Risk, title="Bommelding in het gemeentehuis")
    assert response["Location"] == f"{BASE}risicos/{risk.pk}/"
    assert (risk.inherent_score, risk.current_score, risk.exceeds_acceptance) == (15, 15, True)
    assert risk.reference == "R-026"
    page = coordinator_client.get(response["Location"]).content.decode()
    assert "15 (kans 3 × impact 5) — zeer hoog" in page
    with scopes_disabled():
        assert list(risk.assets.all()) == [asset]
        assert AuditEntry.objects.filter(object_type="risks.risk", object_id=str(risk.pk), action="create").exists()


def test_invalid_risk_is_explained_and_input_kept(register, coordinator_client):
    response = coordinator_client.post(
        BASE + "risicos/nieuw/", risk_post(residual_likelihood="2", treatment="accept", themes=[])
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Bommelding in het gemeentehuis" in body
    assert "Dit veld is verplicht." in body  # themes
    response = coordinator_client.post(BASE + "risicos/nieuw/", risk_post(residual_likelihood="2", treatment="accept"))
    body = response.content.decode()
    assert response.status_code == 400
    assert "Vul voor het restrisico zowel de kans als de impact in" in body
    assert "Wie heeft het risico geaccepteerd?" in body


def test_theme_expert_edits_only_risks_and_measures_of_own_themes(register, login):
    client = login(member(register, "expert").user)  # limited to informatiebeveiliging
    # create within own theme: allowed
    response = client.post(BASE + "risicos/nieuw/", risk_post(themes=[theme("informatiebeveiliging")]))
    assert response.status_code == 302
    # create outside own themes: 403
    assert client.post(BASE + "risicos/nieuw/", risk_post()).status_code == 403
    own = get(Measure, organisation=register, reference="M-007")  # informatiebeveiliging
    other = get(Measure, organisation=register, reference="M-001")  # fysieke beveiliging
    assert client.get(BASE + f"maatregelen/{own.pk}/bewerken/").status_code == 200
    assert client.get(BASE + f"maatregelen/{other.pk}/bewerken/").status_code == 403
    assert client.post(BASE + f"maatregelen/{other.pk}/status/", {"status": "verified"}).status_code == 403
    assert client.post(BASE + f"maatregelen/{other.pk}/verwijderen/").status_code == 403
    # A risk that carries one of the expert's themes among others is theirs to work on too.
    mixed = get(Risk, organisation=register, reference="R-009")  # informatiebeveiliging + fysiek
    assert client.get(BASE + f"risicos/{mixed.pk}/bewerken/").status_code == 200
    # assets, own threats and the matrix stay with the coordinator
    assert client.get(BASE + "bedrijfsmiddelen/nieuw/").status_code == 403
    assert client.post(BASE + "dreigingen/nieuw/", {"name": "x"}).status_code == 403
    assert client.post(BASE + "matrix/", {"likelihood_levels": 3}).status_code == 403


@pytest.mark.parametrize("role", ["bestuur", "auditor", "lezer"])
def test_readers_see_the_register_but_cannot_change_it(register, login, role):
    client = login(member(register, role).user)
    risk = get(Risk, organisation=register, reference="R-001")
    measure = get(Measure, organisation=register, reference="M-001")
    asset = get(Asset, organisation=register, reference="BM-001")
    for path in ["", "risicos/", "maatregelen/", "bedrijfsmiddelen/", f"risicos/{risk.pk}/", "dekking/", "export.xlsx"]:
        assert client.get(BASE + path).status_code == 200, path
    page = client.get(BASE + "maatregelen/").content.decode()
    assert 'id="status-' not in page and "Maatregel toevoegen" not in page
    for path in [
        "risicos/nieuw/",
        f"risicos/{risk.pk}/bewerken/",
        f"risicos/{risk.pk}/verwijderen/",
        f"maatregelen/{measure.pk}/status/",
        f"bedrijfsmiddelen/{asset.pk}/verwijderen/",
        "conflicten/nieuw/",
        "import/",
    ]:
        assert client.post(BASE + path, {"status": "verified"}).status_code == 403, path


def test_another_municipalitys_ids_are_404(register, voorbeeldrecht, login):
    client = login(member(voorbeeldrecht, "coordinator").user)
    risk = get(Risk, organisation=register, reference="R-001")
    measure = get(Measure, organisation=register, reference="M-001")
    asset = get(Asset, organisation=register, reference="BM-001")
    conflict = get(MeasureConflict, organisation=register)
    threat = get(LocalThreat, organisation=register, name="Manipulatie van verkiezingen")
    own = "/g/voorbeeldrecht/risico/"
    for path in [
        f"risicos/{risk.pk}/",
        f"risicos/{risk.pk}/bewerken/",
        f"risicos/{risk.pk}/verwijderen/",
        f"maatregelen/{measure.pk}/",
        f"maatregelen/{measure.pk}/status/",
        f"bedrijfsmiddelen/{asset.pk}/",
        f"conflicten/{conflict.pk}/bewerken/",
        f"dreigingen/{threat.pk}/verwijderen/",
    ]:
        assert client.get(own + path).status_code in (404, 405), path
        assert client.post(own + path, {"status": "verified"}).status_code == 404, path
    assert client.get(BASE).status_code == 404
    # their own register shows nothing of Demostad
    body = client.get(own + "risicos/").content.decode()
    assert "Agressie aan de balie" not in body


def test_deleting_an_asset_asks_first_and_leaves_no_dangling_links(register, coordinator_client):
    asset = get(Asset, organisation=register, reference="BM-017")
    page = coordinator_client.get(BASE + f"bedrijfsmiddelen/{asset.pk}/verwijderen/").content.decode()
    assert "Agressie aan de balie burgerzaken" in page and "Hoog verzuim bij een pandemie" in page
    with scopes_disabled():
        assert Asset.objects.filter(pk=asset.pk).exists()
    response = coordinator_client.post(BASE + f"bedrijfsmiddelen/{asset.pk}/verwijderen/")
    assert response.status_code == 302
    with scopes_disabled():
        assert not Asset.objects.filter(pk=asset.pk).exists()
        assert not Risk.assets.through.objects.filter(asset_id=asset.pk).exists()
        risk = Risk.objects.get(organisation=register, reference="R-001")
        assert [a.reference for a in risk.assets.all()] == ["BM-002"]
        assert AuditEntry.objects.filter(event="asset.deleted", object_id=str(asset.pk)).exists()


def test_deleting_a_risk_keeps_its_measures_without_the_link(register, coordinator_client):
    risk = get(Risk, organisation=register, reference="R-003")
    page = coordinator_client.get(BASE + f"risicos/{risk.pk}/verwijderen/").content.decode()
    assert "Offline back-ups met jaarlijkse hersteltest" in page
    assert coordinator_client.post(BASE + f"risicos/{risk.pk}/verwijderen/").status_code == 302
    with scopes_disabled():
        measure = Measure.objects.get(organisation=register, reference="M-008")
        assert measure.risks.count() == 0
        assert not Measure.risks.through.objects.filter(risk_id=risk.pk).exists()


def test_deleting_a_measure_removes_its_conflicts(register, coordinator_client):
    measure = get(Measure, organisation=register, reference="M-020")
    page = coordinator_client.get(BASE + f"maatregelen/{measure.pk}/verwijderen/").content.decode()
    assert "Deze vastgelegde conflicten worden ook verwijderd" in page
    assert coordinator_client.post(BASE + f"maatregelen/{measure.pk}/verwijderen/").status_code == 302
    with scopes_disabled():
        assert not MeasureConflict.objects.filter(organisation=register).exists()


def test_own_threat_in_use_cannot_be_deleted(register, coordinator_client):
    threat = get(LocalThreat, organisation=register, name="Manipulatie van verkiezingen")
    page = coordinator_client.get(BASE + f"dreigingen/{threat.pk}/verwijderen/").content.decode()
    assert "Beïnvloeding van de verkiezingsuitslag" in page and "Ja, verwijderen" not in page
    response = coordinator_client.post(BASE + f"dreigingen/{threat.pk}/verwijderen/")
    assert response.status_code == 400
    with scopes_disabled():
        assert LocalThreat.objects.filter(pk=threat.pk).exists()


def test_inline_status_change_with_htmx_and_without(register, coordinator_client):
    measure = get(Measure, organisation=register, reference="M-009")
    url = BASE + f"maatregelen/{measure.pk}/status/"
    response = coordinator_client.post(url, {"status": "in_progress"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert body.strip().startswith(f'<tr class="utrecht-table__row" id="maatregel-{measure.pk}"')
    assert '<option value="in_progress" selected>' in body and "Opgeslagen" in body
    # The row answered to htmx is the list's row: the same links, themes, goals and risk count.
    listed = coordinator_client.get(BASE + "maatregelen/?q=M-009").content.decode()
    start = listed.index(f'<tr class="utrecht-table__row" id="maatregel-{measure.pk}"')
    assert body.strip().replace("Opgeslagen", "").count("<td") == listed[start : listed.index("</tr>", start)].count(
        "<td"
    )
    for part in (f'href="{BASE}maatregelen/{measure.pk}/"', f'action="{url}"', f'hx-post="{url}"'):
        assert part in body and part in listed
    with scopes_disabled():
        goals = ", ".join(g.name for g in measure.linked_goals) or "—"
        themes = ", ".join(t.name for t in measure.themes.all())
        risks = measure.risks.count()
    for part in (f">{escape(goals)}</td>", f">{escape(themes)}</td>", f">{risks}</td>"):
        assert part in body and part in listed
    response = coordinator_client.post(url, {"status": "in_place", "next": BASE + "maatregelen/?status=planned"})
    assert response.status_code == 302 and response["Location"] == BASE + "maatregelen/?status=planned"
    assert get(Measure, pk=measure.pk).status == "in_place"
    response = coordinator_client.post(url, {"status": "in_place", "next": "https://evil.example/"})
    assert response["Location"] == BASE + "maatregelen/"


def test_lists_filter_sort_and_paginate(register, coordinator_client):
    body = coordinator_client.get(BASE + f"risicos/?thema={theme('integriteit')}&boven_grens=on").content.decode()
    assert "Criminele beïnvloeding van vergunningverlening" in body  # current 8 > 6
    assert "Betaling op een valse factuur" not in body  # current 4
    body = coordinator_client.get(BASE + "risicos/?positie=bruto&kans=4&impact=4").content.decode()
    assert "Agressie aan de balie burgerzaken" in body and "1 risico" in body
    assert "Alleen risico's met bruto kans 4 en impact 4." in body
    netto = coordinator_client.get(BASE + "risicos/?positie=netto&kans=2&impact=2").content.decode()
    assert "Alleen risico's met netto kans 2 en impact 2." in netto
    coordinator_client.post("/taal/", {"language": "en", "next": "/"})
    english = coordinator_client.get(BASE + "risicos/?positie=netto&kans=2&impact=2").content.decode()
    assert "Only risks with residual likelihood 2 and impact 2." in english
    coordinator_client.post("/taal/", {"language": "nl", "next": "/"})
    body = coordinator_client.get(BASE + "maatregelen/?status=planned&sorteer=deadline").content.decode()
    assert "Crisisoefening cyberincident" in body and "Balies met afscherming" not in body
    goal = SecurityGoal.objects.get(slug="continuiteit")
    body = coordinator_client.get(BASE + f"maatregelen/?doel={goal.pk}&q=back-ups").content.decode()
    assert "Offline back-ups" in body and "1 maatregel" in body
    body = coordinator_client.get(BASE + "bedrijfsmiddelen/?soort=people&sorteer=belang").content.decode()
    assert body.index("Burgemeester en wethouders") < body.index("Bezoekers van het gemeentehuis")
    partial = coordinator_client.get(BASE + "risicos/?q=brand", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results")
    assert "<html" not in partial.content.decode() and "Brand in de serverruimte" in partial.content.decode()
    page2 = coordinator_client.get(BASE + "maatregelen/?pagina=2").content.decode()
    assert "Pagina 2 van 2" in page2


def test_integral_view_shows_heatmaps_attention_overlaps_and_conflict(register, coordinator_client):
    body = coordinator_client.get(BASE).content.decode()
    assert body.count('role="img"') == 2 and 'data-position="netto"' in body
    assert "Aantal risico's per kans en impact, bruto" in body
    attention = body[body.index('id="aandacht"') : body.index('id="overlap"')]
    assert "Doxing van handhavers op sociale media" in attention  # no measures at all
    assert "geen maatregelen" in attention
    assert "Inbraak op de gemeentewerf" not in attention  # accepted until the end of the year
    overlap = body[body.index('id="overlap"') : body.index('id="conflicten"')]
    assert "R-001 Agressie aan de balie burgerzaken" in overlap and "Beschermen" in overlap
    assert "M-007 Multifactorauthenticatie" in overlap and "M-010 Phishingsimulaties" in overlap
    conflicts = body[body.index('id="conflicten"') :]
    assert "M-020 Strikte toegangscontrole" in conflicts and "Zonering" in conflicts


def test_coverage_and_budget(register, coordinator_client):
    body = coordinator_client.get(BASE + "dekking/").content.decode()
    assert "Maatregelen per thema (rijen) en beveiligingsdoel (kolommen)" in body
    body = coordinator_client.get(BASE + "begroting/").content.decode()
    assert "Totaal (elke maatregel één keer)" in body
    with scopes_disabled():
        from weerbaar.risks.selectors import budget

        years, rows, total = budget(organisation=register)
        measures = Measure.objects.filter(organisation=register)
        assert total.once == sum(m.cost_once for m in measures)
        assert total.yearly == sum(m.cost_yearly for m in measures)
        fysiek = next(r for r in rows if r.label == "Fysieke en technische beveiliging")
        assert fysiek.once == sum(m.cost_once for m in measures.filter(themes__slug="fysieke-beveiliging"))


def test_matrix_page_recomputes_after_change(register, coordinator_client):
    response = coordinator_client.post(
        BASE + "matrix/",
        {
            "likelihood_levels": 5,
            "impact_levels": 5,
            "likelihood_labels": "",
            "impact_labels": "",
            "acceptance_level": 12,
            "critical_level": 20,
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        assert not Risk.objects.get(organisation=register, reference="R-006").exceeds_acceptance  # 8 <= 12
        assert Risk.objects.get(organisation=register, reference="R-001").exceeds_acceptance is False  # 9


def test_conflict_recorded_between_two_measures(register, coordinator_client):
    a = get(Measure, organisation=register, reference="M-032")
    b = get(Measure, organisation=register, reference="M-021")
    response = coordinator_client.post(
        BASE + "conflicten/nieuw/",
        {"measure_a": a.pk, "measure_b": a.pk, "description": "x", "state": "open"},
    )
    assert response.status_code == 400 and "Kies twee verschillende maatregelen." in response.content.decode()
    response = coordinator_client.post(
        BASE + "conflicten/nieuw/",
        {"measure_a": a.pk, "measure_b": b.pk, "description": "Camera's schrikken bezoekers af.", "state": "open"},
    )
    assert response.status_code == 302
    with scopes_disabled():
        assert MeasureConflict.objects.filter(organisation=register).count() == 2


def test_query_budgets_with_many_rows(register, coordinator_client, django_assert_max_num_queries):
    from weerbaar.risks.testdata import generate

    with scopes_disabled():
        generate(organisation=register, assets=120, risks=300, measures=400)
    budgets = {
        "": 30,
        "risicos/": 16,
        "risicos/?sorteer=herbeoordeling&boven_grens=on": 16,
        "maatregelen/": 16,
        "bedrijfsmiddelen/": 14,
        "dekking/": 14,
        "begroting/": 14,
        "dreigingen/": 14,
        "matrix/": 14,
    }
    for path, budget in budgets.items():
        with django_assert_max_num_queries(budget):
            response = coordinator_client.get(BASE + path)
        assert response.status_code == 200, path


def test_every_register_page_renders_for_the_coordinator(register, coordinator_client):
    risk = get(Risk, organisation=register, reference="R-001")
    measure = get(Measure, organisation=register, reference="M-020")
    asset = get(Asset, organisation=register, reference="BM-001")
    conflict = get(MeasureConflict, organisation=register)
    threat = get(LocalThreat, organisation=register, name="Onduidelijke verantwoordelijkheden")
    paths = [
        "",
        "dekking/",
        "begroting/",
        "matrix/",
        "bedrijfsmiddelen/",
        "bedrijfsmiddelen/nieuw/",
        f"bedrijfsmiddelen/{asset.pk}/",
        f"bedrijfsmiddelen/{asset.pk}/bewerken/",
        "dreigingen/",
        "dreigingen/nieuw/",
        f"dreigingen/{threat.pk}/bewerken/",
        "risicos/",
        "risicos/nieuw/",
        f"risicos/{risk.pk}/",
        f"risicos/{risk.pk}/bewerken/",
        "maatregelen/",
        "maatregelen/nieuw/",
        f"maatregelen/{measure.pk}/",
        f"maatregelen/{measure.pk}/bewerken/",
        "conflicten/nieuw/",
        f"conflicten/{conflict.pk}/bewerken/",
        f"conflicten/{conflict.pk}/verwijderen/",
        "import/",
    ]
    for path in paths:
        response = coordinator_client.get(BASE + path)
        assert response.status_code == 200, path
    edit = coordinator_client.get(BASE + f"maatregelen/{measure.pk}/bewerken/").content.decode()
    assert 'value="60.000,00"' in edit  # amounts shown the Dutch way and read back the same
    dashboard = coordinator_client.get("/g/demostad/").content.decode()
    assert "Risico&#x27;s en maatregelen" in dashboard


def test_conflict_edit_links_only_for_members_who_may_edit_them(register, coordinator_client, login):
    conflict = get(MeasureConflict, organisation=register)
    edit_url = f'href="{BASE}conflicten/{conflict.pk}/'
    assert edit_url in coordinator_client.get(BASE).content.decode()
    expert = login(member(register, "expert").user)  # informatiebeveiliging only; the conflict is elsewhere
    assert edit_url not in expert.get(BASE).content.decode()
    assert expert.get(BASE + f"conflicten/{conflict.pk}/bewerken/").status_code == 403


def test_measure_list_names_each_measures_goals_as_its_detail_does(register, coordinator_client):
    """The goals column is read with one query for the page; it must name the same goals, in
    the same order, as the measure itself (framework goals, then catalogue goals)."""
    for url in (BASE + "maatregelen/", BASE + "maatregelen/?pagina=2", BASE + "maatregelen/?sorteer=status"):
        rows = list(coordinator_client.get(url).context["page"].object_list)
        with scopes_disabled():
            expected = {
                m.pk: ", ".join(g.name for g in m.linked_goals)
                for m in Measure.objects.filter(pk__in=[r.pk for r in rows])
            }
        assert {r.pk: r.goal_names for r in rows} == expected
    assert any(expected.values())
