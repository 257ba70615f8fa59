"""Whatever people type, paste or send: the register answers 2xx/4xx and its exports still open.

Hypothesis feeds arbitrary text (control characters, formula prefixes, very long strings),
numbers (NaN, infinities, 2**70, Dutch and English amounts) and dates through the register's
web forms, its API and its Excel import. After each example the municipality's Excel export
(web and API) and the JSON export must still be produced and readable, with no live formula.
"""

import datetime
import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scopes_disabled
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from weerbaar.accounts.services import api_token_create

from ..conftest import member

BASE = "/g/demostad/risico/"
EXAMPLES = settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Text as it arrives from a browser: anything except lone surrogates (a browser cannot send them).
any_text = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=300),
    st.sampled_from(["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx", "\rx", '=HYPERLINK("http://x")', "a\x0bb\x00c"]),
    st.integers(min_value=201, max_value=20000).map(lambda n: "=" + "x" * n),
)
amount_text = st.one_of(
    st.sampled_from(["1.250", "€ 1.250", "1.250,50", "NaN", "nan", "Infinity", "-inf", "1e400", "1,250.50", "", "€"]),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.integers(min_value=-(2**80), max_value=2**80).map(str),
    any_text,
)
any_number = st.one_of(
    st.integers(min_value=-(2**80), max_value=2**80),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
    st.none(),
    st.booleans(),
)
any_date_text = st.one_of(st.dates().map(lambda d: d.isoformat()), st.text(max_size=30))


def _no_live_formulas(content: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name), name


def _exports_still_open(client, headers) -> None:
    web = client.get(BASE + "export.xlsx")
    assert web.status_code == 200
    load_workbook(io.BytesIO(web.content))
    _no_live_formulas(web.content)
    api = client.get("/api/v1/register/export.xlsx", **headers)
    assert api.status_code == 200
    load_workbook(io.BytesIO(api.content))
    _no_live_formulas(api.content)
    as_json = client.get("/api/v1/register/export", **headers)
    assert as_json.status_code == 200
    json.loads(as_json.content)


@pytest.fixture
def session(register, coordinator_client):
    with scopes_disabled():
        _, raw = api_token_create(membership=member(register, "coordinator"), name="eigenschappen")
    return coordinator_client, {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def _ok(response) -> None:
    assert response.status_code < 500, response.content[:500]
    assert response.status_code in {200, 201, 302, 400, 403, 404, 409, 413, 422}, response.status_code


@EXAMPLES
@given(
    name=any_text,
    location=any_text,
    description=any_text,
    criticality=any_number,
    cost=amount_text,
    deadline=any_date_text,
    title=any_text,
)
def test_web_forms_answer_and_exports_open(session, name, location, description, criticality, cost, deadline, title):
    client, headers = session
    _ok(
        client.post(
            BASE + "bedrijfsmiddelen/nieuw/",
            {"name": name, "kind": "building", "criticality": str(criticality), "location": location,
             "description": description},
        )
    )  # fmt: skip
    themes = "1"
    _ok(
        client.post(
            BASE + "maatregelen/nieuw/",
            {"title": title, "themes": themes, "measure_type": "preventive", "kind": "organisational",
             "status": "planned", "cost_once": cost, "cost_yearly": cost, "deadline": deadline,
             "side_effects": description},
        )
    )  # fmt: skip
    _exports_still_open(client, headers)


@EXAMPLES
@given(name=any_text, title=any_text, number=any_number, cost=any_number, deadline=any_date_text, ids=any_number)
def test_api_answers_and_exports_open(session, name, title, number, cost, deadline, ids):
    client, headers = session

    def post(url, body):
        response = client.post("/api/v1" + url, data=json.dumps(body), content_type="application/json", **headers)
        _ok(response)
        if response.status_code >= 400:
            assert response["Content-Type"].startswith("application/problem+json"), response.content[:300]
        return response

    post("/assets", {"name": name, "criticality": number, "location": title})
    post(
        "/measures",
        {"title": title, "themes": ["fysieke-beveiliging"], "cost_once": cost, "deadline": deadline, "owner": name},
    )
    post(
        "/risks",
        {"title": title, "themes": ["fysieke-beveiliging"], "inherent_likelihood": number, "inherent_impact": 2,
         "assets": [ids], "scenario": name},
    )  # fmt: skip
    _exports_still_open(client, headers)


def _xlsx(rows: list[list]) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    assets = wb.create_sheet("Bedrijfsmiddelen")
    assets.append(["Kenmerk", "Naam", "Soort", "Belang", "Locatie", "Eigenaar", "Omschrijving"])
    measures = wb.create_sheet("Maatregelen")
    measures.append(["Kenmerk", "Titel", "Thema's", "Status", "Deadline", "Eenmalige kosten", "Jaarlijkse kosten"])
    for name, title, cost, deadline, belang in rows:
        assets.append([None, name, "gebouwen en terreinen", belang, name, None, name])
        measures.append([None, title, "Fysieke en technische beveiliging", "gepland", deadline, cost, cost])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


cell_value = st.one_of(
    any_text.map(lambda t: t.replace("\x00", "")),  # openpyxl itself refuses to write some characters
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=False),
    st.dates(min_value=datetime.date(1900, 3, 1)),
    st.none(),
)


@EXAMPLES
@given(rows=st.lists(st.tuples(cell_value, cell_value, cell_value, cell_value, cell_value), min_size=1, max_size=4))
def test_import_answers_and_exports_open(session, rows):
    client, headers = session
    try:
        content = _xlsx(rows)
    except Exception:  # noqa: BLE001 - a value openpyxl cannot write is no file a user could upload
        return
    upload = SimpleUploadedFile("register.xlsx", content, content_type="application/octet-stream")
    response = client.post(BASE + "import/", {"file": upload})
    _ok(response)
    _exports_still_open(client, headers)
