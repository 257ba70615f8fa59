"""The statement of applicability: decisions with reasons, the register's measures, other
apps' references, summary, filters, export, API, roles and query budget."""

import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled
from openpyxl import load_workbook

from weerbaar.core.models import AuditEntry
from weerbaar.core.registry import bio2_references
from weerbaar.documents.excel import XLSX_CONTENT_TYPE
from weerbaar.knowledge.models import Bio2Measure
from weerbaar.risks.models import Measure
from weerbaar.risks.testdata import generate
from weerbaar.soa.models import Applicability

from ..conftest import member
from .conftest import BASE


def decision(org, number):
    with scopes_disabled():
        return Applicability.objects.filter(organisation=org, bio2__number=number).first()


def test_statement_lists_every_government_measure_with_summary(statement_org, coordinator_client):
    page = coordinator_client.get(BASE).content.decode()
    assert page.count('id="bio2-') == 118
    assert 'id="bio2-5.03.01"' not in page  # no government measure: not in the statement
    assert "Demostad verstuurt geen gerubriceerde informatie" in page
    # The demo decided three chapters; the technological one is still open.
    with scopes_disabled():
        tech = Bio2Measure.objects.filter(status="measure", chapter="technologisch").count()
    assert f'<td class="utrecht-table__cell">{tech}</td>' in page
    # The register's measures that carry a number are listed with their status.
    with scopes_disabled():
        m = Measure.objects.get(organisation=statement_org, bio2_measures__number="8.05.01")
    row = page[page.index('id="bio2-8.05.01"') :]
    row = row[: row.index("</tr>")]
    assert m.title in row and m.get_status_display() in row
    assert "Verklaring van toepasselijkheid" in page and "?nummer=5.01.01" in page


def test_viewer_reads_but_is_offered_no_decision(statement_org, login):
    client = login(member(statement_org, "lezer").user)
    page = client.get(BASE).content.decode()
    assert page.count('id="bio2-') == 118
    assert "?nummer=" not in page and "hoofdstuk/" not in page
    assert client.get(BASE + "beoordelen/?nummer=5.01.01").status_code == 403
    response = client.post(BASE + "beoordelen/?nummer=5.01.01", {"decision": "applicable", "revision": -1})
    assert response.status_code == 403
    assert client.post(BASE + "hoofdstuk/", {"hoofdstuk": "technologisch"}).status_code == 403
    assert client.get(BASE + "export.xlsx").status_code == 200


def test_expert_cannot_decide_either(statement_org, login):
    client = login(member(statement_org, "expert").user)
    assert client.post(BASE + "beoordelen/?nummer=8.01.01", {"decision": "applicable"}).status_code == 403
    assert decision(statement_org, "8.01.01") is None


def test_not_applicable_needs_a_reason_and_keeps_the_input(statement_org, coordinator_client):
    url = BASE + "beoordelen/?nummer=8.01.01"
    page = coordinator_client.get(url).content.decode()
    assert "Mobiele apparaten" in page  # our description of the measure is shown while deciding
    response = coordinator_client.post(url, {"decision": "not_applicable", "reason": "  ", "revision": -1})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="id_reason_error"' in body and "waarom deze maatregel niet van toepassing" in body
    assert re.search(r'<input[^>]*value="not_applicable"[^>]*checked', body)  # the choice is kept
    assert decision(statement_org, "8.01.01") is None

    reason = "Medewerkers werken alleen op vaste werkplekken; zie risicoanalyse mobiel werken 2026."
    response = coordinator_client.post(
        url + "&terug=" + BASE + "%3Fhoofdstuk%3Dtechnologisch",
        {"decision": "not_applicable", "reason": reason, "revision": -1},
    )
    assert response.status_code == 302
    assert response["Location"] == BASE + "?hoofdstuk=technologisch#bio2-8.01.01"
    saved = decision(statement_org, "8.01.01")
    assert saved.decision == "not_applicable" and saved.reason == reason
    with scopes_disabled():
        entry = AuditEntry.objects.filter(organisation=statement_org, object_id=str(saved.pk)).latest("created_at")
        assert entry.after["reason"] == reason and entry.actor == member(statement_org, "coordinator").user
    assert reason in coordinator_client.get(BASE).content.decode()


def test_return_address_stays_on_the_statement(statement_org, coordinator_client):
    url = BASE + "beoordelen/?nummer=8.01.02&terug=https://evil.example/"
    response = coordinator_client.post(url, {"decision": "applicable", "revision": -1})
    assert response["Location"] == BASE + "#bio2-8.01.02"


def test_someone_elses_decision_in_between_is_not_overwritten(statement_org, coordinator_client):
    url = BASE + "beoordelen/?nummer=8.02.01"
    first = coordinator_client.post(url, {"decision": "applicable", "reason": "", "revision": -1})
    assert first.status_code == 302
    # A second editor who opened the page before the first saved:
    response = coordinator_client.post(url, {"decision": "not_applicable", "reason": "Niet nodig", "revision": -1})
    assert response.status_code == 409
    assert decision(statement_org, "8.02.01").decision == "applicable"
    # Saving again from the conflict page overwrites knowingly.
    current = decision(statement_org, "8.02.01").revision
    again = coordinator_client.post(url, {"decision": "not_applicable", "reason": "Niet nodig", "revision": current})
    assert again.status_code == 302
    assert decision(statement_org, "8.02.01").reason == "Niet nodig"


def test_unknown_numbers_are_404(statement_org, coordinator_client):
    for number in ("", "9.99.99", "5.03.01", "5.04.02", "x" * 50):
        assert coordinator_client.get(BASE + f"beoordelen/?nummer={number}").status_code == 404, number


def test_chapter_at_once_marks_only_open_measures(statement_org, coordinator_client):
    with scopes_disabled():
        all_tech = Bio2Measure.objects.filter(status="measure", chapter="technologisch").count()
    coordinator_client.post(
        BASE + "beoordelen/?nummer=8.24.05", {"decision": "not_applicable", "reason": "Eigen reden", "revision": -1}
    )
    response = coordinator_client.post(BASE + "hoofdstuk/", {"hoofdstuk": "technologisch"})
    assert response.status_code == 302
    with scopes_disabled():
        rows = Applicability.objects.filter(organisation=statement_org, bio2__chapter="technologisch")
        assert rows.count() == all_tech
        # The demo's 8.30.01 and the 8.24.05 decided above keep their "no".
        assert rows.filter(decision="applicable").count() == all_tech - 2
    assert decision(statement_org, "8.24.05").reason == "Eigen reden"
    assert coordinator_client.post(BASE + "hoofdstuk/", {"hoofdstuk": "onzin"}).status_code == 302


def test_filters(statement_org, coordinator_client):
    page = coordinator_client.get(BASE + "?beoordeling=open").content.decode()
    with scopes_disabled():
        tech = Bio2Measure.objects.filter(status="measure", chapter="technologisch").count()
    assert page.count('id="bio2-') == tech - 1 and 'id="bio2-8.01.01"' in page  # 8.30.01 is decided
    page = coordinator_client.get(BASE + "?beoordeling=nee").content.decode()
    assert page.count('id="bio2-') == 3
    page = coordinator_client.get(BASE + "?q=back-up").content.decode()
    assert 'id="bio2-8.13.01"' in page and 'id="bio2-5.01.01"' not in page
    page = coordinator_client.get(BASE + "?invoering=gat&hoofdstuk=fysiek").content.decode()
    assert 'id="bio2-8.' not in page and 'id="bio2-5.' not in page
    assert coordinator_client.get(BASE + "?hoofdstuk=onzin&beoordeling=%00").status_code == 200


def test_other_apps_references_are_shown(statement_org, coordinator_client):
    def scan_answers(organisation):
        assert organisation == statement_org
        return {"5.15.01": [("Zelfscan 2026, vraag 3: toegang", "/zelfscan/3/")]}

    bio2_references.register("test-scan", scan_answers, replace=True)
    try:
        page = coordinator_client.get(BASE).content.decode()
    finally:
        bio2_references.unregister("test-scan")
    row = page[page.index('id="bio2-5.15.01"') :]
    assert (
        '<a class="utrecht-link" href="/zelfscan/3/">Zelfscan 2026, vraag 3: toegang</a>' in row[: row.index("</tr>")]
    )


def test_export_is_a_safe_workbook_with_every_measure(statement_org, coordinator_client):
    response = coordinator_client.get(BASE + "export.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="verklaring-van-toepasselijkheid-demostad.xlsx"'
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb["Verklaring"]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    header = next(i for i, r in enumerate(rows) if r[0] == "Nummer")
    data = rows[header + 1 :]
    assert len(data) == 118
    by_number = {r[0]: r for r in data}
    assert by_number["7.10.03"][4] == "nee" and by_number["7.10.03"][5].startswith("Demostad verstuurt")
    assert by_number["8.01.01"][4] == "nog niet beoordeeld"
    assert "Samenvatting" in wb.sheetnames


def test_statement_query_count_does_not_grow_with_the_register(statement_org, coordinator_client):
    def count():
        coordinator_client.get(BASE)
        with CaptureQueriesContext(connection) as ctx:
            assert coordinator_client.get(BASE).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    with scopes_disabled():
        generate(organisation=statement_org, assets=5, risks=10, measures=150)
        through = Measure.bio2_measures.through
        bio2 = list(Bio2Measure.objects.filter(status="measure").values_list("pk", flat=True))
        links = [
            through(measure_id=m, bio2measure_id=bio2[i % len(bio2)])
            for i, m in enumerate(Measure.objects.filter(organisation=statement_org).values_list("pk", flat=True))
        ]
        through.objects.bulk_create(links, ignore_conflicts=True)
    assert count() == few
    assert few <= 14


@pytest.mark.parametrize("local", ["coordinator", "lezer"])
def test_menu_offers_the_statement(statement_org, login, local):
    page = login(member(statement_org, local).user).get("/g/demostad/").content.decode()
    assert BASE in page


def test_api_lists_filters_and_sets(api, statement_org):
    coordinator = api(statement_org, "coordinator")
    body = coordinator("GET", "/statement-of-applicability").json()
    assert body["count"] == 118 and body["summary"][-1]["total"] == 118
    open_ = coordinator("GET", "/statement-of-applicability?decision=open&chapter=technologisch").json()
    assert open_["count"] and all(i["decision"] is None for i in open_["items"])
    one = coordinator("GET", "/statement-of-applicability/7.10.03").json()
    assert one["decision"] == "not_applicable" and one["reason"]
    assert coordinator("GET", "/statement-of-applicability/5.03.01").status_code == 404

    missing = coordinator("PUT", "/statement-of-applicability/8.01.01", {"decision": "not_applicable"})
    assert missing.status_code == 422 and "reason" in missing.content.decode()
    ok = coordinator(
        "PUT", "/statement-of-applicability/8.01.01", {"decision": "not_applicable", "reason": "Geen laptops"}
    )
    assert ok.status_code == 200 and ok.json()["revision"] == 0
    stale = coordinator("PUT", "/statement-of-applicability/8.01.01", {"decision": "applicable", "revision": 7})
    assert stale.status_code == 409
    viewer = api(statement_org, "lezer")
    assert viewer("GET", "/statement-of-applicability").status_code == 200
    assert viewer("PUT", "/statement-of-applicability/8.01.02", {"decision": "applicable"}).status_code == 403
