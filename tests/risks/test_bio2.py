"""Measures carry BIO2 numbers chosen from the list: form (picker), API, Excel, and the
migration of the old free-text numbers."""

import io

from django.apps import apps
from django_scopes import scopes_disabled
from openpyxl import load_workbook

from weerbaar.knowledge.models import Bio2Measure
from weerbaar.risks.excel import MEASURE_COLUMNS
from weerbaar.risks.models import Measure

from .conftest import theme
from .test_excel import BASE, counts, row, upload, workbook_bytes


def bio2(number):
    return Bio2Measure.objects.get(number=number)


def _measure(org, reference="M-001"):
    with scopes_disabled():
        return Measure.objects.get(organisation=org, reference=reference)


def test_form_offers_government_measures_in_a_picker_and_saves_what_was_checked(register, coordinator_client):
    m = _measure(register)
    url = f"{BASE}maatregelen/{m.pk}/bewerken/"
    page = coordinator_client.get(url).content.decode()
    assert "data-picker" in page and 'type="search"' in page  # the filter box of the picker
    assert "<select multiple" not in page and "Ctrl" not in page
    assert "5.15.01" in page and "5.03.01" not in page  # no-government-measure numbers are not offered
    with scopes_disabled():
        form_data = {
            "title": m.title,
            "themes": [t.pk for t in m.themes.all()],
            "measure_type": m.measure_type,
            "kind": m.kind,
            "status": m.status,
            "risks": [r.pk for r in m.risks.all()],
            "bio2_measures": [bio2("5.15.01").pk, bio2("8.13.03").pk],
            "revision": m.revision,
        }
    response = coordinator_client.post(url, form_data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    with scopes_disabled():
        assert sorted(b.number for b in _measure(register).bio2_measures.all()) == ["5.15.01", "8.13.03"]
    # Checked items come first in the picker when the form opens again.
    page = coordinator_client.get(url).content.decode()
    picker = page[page.index('id="id_bio2_measures_list"') :]
    assert picker.index(f'value="{bio2("8.13.03").pk}"') < picker.index(f'value="{bio2("5.01.01").pk}"')
    detail = coordinator_client.get(f"{BASE}maatregelen/{m.pk}/").content.decode()
    assert "#bio2-5.15.01" in detail


def test_a_number_outside_the_list_is_refused_at_the_field(register, coordinator_client):
    m = _measure(register)
    with scopes_disabled():
        data = {
            "title": m.title,
            "themes": [t.pk for t in m.themes.all()],
            "measure_type": m.measure_type,
            "kind": m.kind,
            "status": m.status,
            "bio2_measures": [bio2("5.03.01").pk],  # no government measure
            "revision": m.revision,
        }
    response = coordinator_client.post(f"{BASE}maatregelen/{m.pk}/bewerken/", data)
    assert response.status_code == 400
    assert 'id="id_bio2_measures_error"' in response.content.decode()


def test_api_reads_and_writes_bio2_numbers(api, register):
    call = api(register, "coordinator")
    body = {"title": "Toegang met passen", "themes": ["informatiebeveiliging"], "bio2_measures": ["5.15.01", "5.17.01"]}
    response = call("POST", "/measures", body)
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["bio2_measures"] == ["5.15.01", "5.17.01"] and created["bio2_unmatched"] == ""
    listed = [i for i in call("GET", "/measures?limit=1000").json()["items"] if i["id"] == created["id"]]
    assert listed[0]["bio2_measures"] == ["5.15.01", "5.17.01"]
    response = call("POST", "/measures", body | {"bio2_measures": ["5.15.01", "9.99.99", "5.04.02"]})
    assert response.status_code == 422
    assert "9.99.99, 5.04.02" in response.content.decode()


def test_export_and_import_use_a_column_of_numbers(register, coordinator_client):
    wb = load_workbook(io.BytesIO(coordinator_client.get(BASE + "export.xlsx").content))
    ws = wb["Maatregelen"]
    headers = [c.value for c in ws[1]]
    column = headers.index("BIO2-maatregelen")
    values = [r[column].value for r in ws.iter_rows(min_row=2)]
    assert "8.05.01" in values  # from the demo register

    good = workbook_bytes(
        {
            "Maatregelen": [
                MEASURE_COLUMNS,
                row(MEASURE_COLUMNS, Titel="Back-up buiten de deur", **{"Thema's": "informatiebeveiliging"},
                    **{"BIO2-maatregelen": "8.13.3, 8.13.01"}),
            ]
        }
    )  # fmt: skip
    assert coordinator_client.post(BASE + "import/", {"file": upload(good)}).status_code == 302
    with scopes_disabled():
        m = Measure.objects.get(organisation=register, title="Back-up buiten de deur")
        assert sorted(b.number for b in m.bio2_measures.all()) == ["8.13.01", "8.13.03"]

    before = counts(register)
    bad = workbook_bytes(
        {
            "Maatregelen": [
                MEASURE_COLUMNS,
                row(MEASURE_COLUMNS, Titel="Fout", **{"Thema's": "informatiebeveiliging"},
                    **{"BIO2-maatregelen": "8.13.01, 9.99.99, 5.04.02, 5.03.01"}),
            ]
        }
    )  # fmt: skip
    response = coordinator_client.post(BASE + "import/", {"file": upload(bad)})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Onbekend BIO2-nummer: 9.99.99." in body
    assert "5.04.02 is verplaatst naar 5.10.02" in body
    assert "5.03.01 is geen overheidsmaatregel" in body
    assert counts(register) == before


def test_migration_links_known_numbers_and_keeps_the_rest(register):
    from importlib import import_module

    migration = import_module("weerbaar.risks.migrations.0003_bio2_measures")
    with scopes_disabled():
        m = Measure.objects.get(organisation=register, reference="M-001")
        m.bio2_measures.clear()
        Measure.objects.filter(pk=m.pk).update(bio2_unmatched="5.15.1; 5.04.02, 9.99.99 zie-beleid 5.03.01")
        migration.forwards(apps, None)
        m.refresh_from_db()
        # 5.04.02 moved to 5.10.02; what matches no government measure stays visible, never dropped.
        assert sorted(b.number for b in m.bio2_measures.all()) == ["5.10.02", "5.15.01"]
        assert m.bio2_unmatched == "9.99.99, zie-beleid, 5.03.01"


def test_unmatched_numbers_are_shown_and_can_be_cleared(register, coordinator_client):
    m = _measure(register)
    with scopes_disabled():
        Measure.objects.filter(pk=m.pk).update(bio2_unmatched="9.99.99")
        m.refresh_from_db()
    assert "9.99.99" in coordinator_client.get(f"{BASE}maatregelen/{m.pk}/").content.decode()
    url = f"{BASE}maatregelen/{m.pk}/bewerken/"
    assert 'name="bio2_unmatched"' in coordinator_client.get(url).content.decode()
    with scopes_disabled():
        data = {
            "title": m.title,
            "themes": [theme("informatiebeveiliging")] if not m.themes.exists() else [t.pk for t in m.themes.all()],
            "measure_type": m.measure_type,
            "kind": m.kind,
            "status": m.status,
            "risks": [r.pk for r in m.risks.all()],
            "bio2_unmatched": "",
            "revision": m.revision,
        }
    assert coordinator_client.post(url, data).status_code == 302
    assert _measure(register).bio2_unmatched == ""
