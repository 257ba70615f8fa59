"""Sub-plans (deelplannen): a register with owner, status, review date and a document."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from weerbaar.accounts.services import api_token_create
from weerbaar.core.models import AuditEntry
from weerbaar.framework import services
from weerbaar.framework.calendar import subplan_reviews
from weerbaar.framework.models import SubPlan

from ..conftest import member

BASE = "/g/demostad/kader/deelplannen/"


def _docx() -> bytes:
    from docx import Document

    buffer = io.BytesIO()
    Document().save(buffer)
    return buffer.getvalue()


@pytest.fixture
def expert(demostad):
    return member(demostad, "expert")


@pytest.fixture
def subplan(demostad, coordinator, expert):
    return services.subplan_save(
        organisation=demostad,
        membership=coordinator,
        kind=SubPlan.Kind.INFORMATION,
        title="Informatiebeveiligingsbeleid",
        owner=expert,
        status=SubPlan.Status.ADOPTED,
        adopted_on=datetime.date(2025, 2, 1),
        review_on=datetime.date(2027, 2, 1),
    )


def _form(**extra):
    data = {
        "kind": SubPlan.Kind.PHYSICAL,
        "title": "Beveiligingsplan gemeentehuis",
        "status": SubPlan.Status.PREPARING,
        "review_on": "2027-06-30",
        "scope": "Toegang tot het gemeentehuis.",
        "document_url": "",
    }
    data.update(extra)
    return data


# --- pages -----------------------------------------------------------------------------------


def test_coordinator_adds_a_sub_plan_with_an_uploaded_document(coordinator_client, coordinator):
    page = coordinator_client.get(BASE).content.decode()
    assert "Deelplan toevoegen" in page
    upload = SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n%fake\n", content_type="application/pdf")
    response = coordinator_client.post(f"{BASE}nieuw/", _form(owner=coordinator.pk, document=upload))
    assert response.status_code == 302, response.content.decode()[:2000]
    plan = SubPlan.objects.get()
    assert plan.owner == coordinator and plan.document_name == "plan.pdf"
    detail = coordinator_client.get(response["Location"]).content.decode()
    assert "Beveiligingsplan gemeentehuis" in detail and "plan.pdf downloaden" in detail
    download = coordinator_client.get(f"{BASE}{plan.pk}/document/")
    assert download.status_code == 200
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in download["Content-Disposition"]
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_a_word_document_is_accepted_and_anything_else_refused_with_the_typed_values_kept(coordinator_client):
    bad = SimpleUploadedFile("plan.exe", b"MZ\x90\x00not a document", content_type="application/pdf")
    response = coordinator_client.post(f"{BASE}nieuw/", _form(document=bad))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Kies een PDF- of Word-bestand" in page
    assert 'value="Beveiligingsplan gemeentehuis"' in page
    assert not SubPlan.objects.exists()
    good = SimpleUploadedFile("plan.docx", _docx())
    assert coordinator_client.post(f"{BASE}nieuw/", _form(document=good)).status_code == 302


def test_a_word_file_with_too_many_parts_is_refused(coordinator_client):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
        for i in range(1100):
            archive.writestr(f"x/{i}.xml", "")
    response = coordinator_client.post(
        f"{BASE}nieuw/", _form(document=SimpleUploadedFile("plan.docx", buffer.getvalue()))
    )
    assert response.status_code == 400
    assert "te veel onderdelen" in response.content.decode()
    assert not SubPlan.objects.exists()


def test_bad_input_gets_dutch_messages_at_the_field(coordinator_client):
    response = coordinator_client.post(
        f"{BASE}nieuw/", _form(title="", status=SubPlan.Status.ADOPTED, document_url="javascript:alert(1)")
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Dit veld is verplicht" in page or "verplicht" in page
    assert "Voer een geldige URL in" in page or "geldige" in page
    response = coordinator_client.post(f"{BASE}nieuw/", _form(status=SubPlan.Status.ADOPTED))
    assert response.status_code == 400
    assert "waarop het deelplan is vastgesteld" in response.content.decode()


def test_a_stale_edit_is_a_409_with_the_differences(coordinator_client, subplan, coordinator):
    response = coordinator_client.get(f"{BASE}{subplan.pk}/bewerken/")
    revision = response.context["form"]["revision"].value()
    services.subplan_save(
        organisation=subplan.organisation,
        membership=coordinator,
        subplan=subplan,
        kind=subplan.kind,
        title="Door een ander gewijzigd",
        status=subplan.status,
        adopted_on=subplan.adopted_on,
        expected_revision=subplan.revision,
    )
    data = _form(revision=revision, kind=subplan.kind, title="Mijn titel")
    response = coordinator_client.post(f"{BASE}{subplan.pk}/bewerken/", data)
    assert response.status_code == 409
    assert "Door een ander gewijzigd" in response.content.decode()
    assert SubPlan.objects.get().title == "Door een ander gewijzigd"


def test_delete_asks_first_and_removes_the_file(
    coordinator_client, coordinator, demostad, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n", content_type="application/pdf")
    plan = services.subplan_save(
        organisation=demostad, membership=coordinator, kind="integriteit", title="Integriteitsbeleid", document=upload
    )
    storage = SubPlan._meta.get_field("document").storage
    name = plan.document.name
    assert storage.exists(name)
    confirm = coordinator_client.get(f"{BASE}{plan.pk}/verwijderen/").content.decode()
    assert "plan.pdf" in confirm
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(f"{BASE}{plan.pk}/verwijderen/")
    assert response.status_code == 302
    assert not SubPlan.objects.exists()
    assert not storage.exists(name)


def test_roles(client, login, demostad, subplan, expert):
    viewer = member(demostad, "lezer")
    login(viewer.user)
    assert "Deelplan toevoegen" not in client.get(BASE).content.decode()
    assert client.get(f"{BASE}nieuw/").status_code == 403
    assert client.get(f"{BASE}{subplan.pk}/bewerken/").status_code == 403
    assert "Bewerken" not in client.get(f"{BASE}{subplan.pk}/").content.decode()
    # The expert owns this sub-plan: they may change it, but not someone else's.
    login(expert.user)
    assert client.get(f"{BASE}{subplan.pk}/bewerken/").status_code == 200
    other = services.subplan_save(
        organisation=demostad, membership=member(demostad, "coordinator"), kind="integriteit", title="Integriteit"
    )
    assert client.get(f"{BASE}{other.pk}/bewerken/").status_code == 403
    assert client.post(f"{BASE}{other.pk}/verwijderen/").status_code == 403


def test_another_municipalitys_sub_plan_is_a_404(client, login, voorbeeldrecht, subplan):
    login(member(voorbeeldrecht, "coordinator").user)
    for suffix in ("", "bewerken/", "verwijderen/", "document/"):
        assert client.get(f"/g/voorbeeldrecht/kader/deelplannen/{subplan.pk}/{suffix}").status_code == 404


def test_changes_are_in_the_log(subplan):
    with scopes_disabled():
        assert AuditEntry.objects.filter(object_type="framework.subplan", object_id=str(subplan.pk)).exists()


def test_the_list_filters_and_keeps_its_query_count(coordinator_client, demostad, coordinator):
    def count():
        coordinator_client.get(BASE)
        with CaptureQueriesContext(connection) as ctx:
            assert coordinator_client.get(BASE).status_code == 200
        return len(ctx)

    services.subplan_save(organisation=demostad, membership=coordinator, kind="privacy", title="Privacybeleid")
    few = count()
    for i in range(12):
        services.subplan_save(
            organisation=demostad, membership=coordinator, kind="overig", title=f"Plan {i}", owner=coordinator
        )
    assert count() == few
    page = coordinator_client.get(f"{BASE}?thema=privacy").content.decode()
    assert "Privacybeleid" in page and "Plan 3" not in page


# --- calendar --------------------------------------------------------------------------------


def test_review_dates_are_on_the_calendar_for_the_owner(subplan, expert, coordinator):
    entries = subplan_reviews(coordinator, datetime.date(2027, 1, 1), datetime.date(2027, 12, 31))
    assert [(e.date, e.owner_id, e.kind) for e in entries] == [(datetime.date(2027, 2, 1), expert.pk, "subplan_review")]
    assert "Informatiebeveiligingsbeleid" in entries[0].title
    assert subplan_reviews(coordinator, datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)) == []


def test_the_agenda_shows_the_review(coordinator_client, subplan):
    page = coordinator_client.get("/g/demostad/kalender/?jaar=2027").content.decode()
    assert "Herziening deelplan: Informatiebeveiligingsbeleid" in page


# --- API -------------------------------------------------------------------------------------


@pytest.fixture
def api(client, coordinator):
    with scopes_disabled():
        _, raw = api_token_create(membership=coordinator, name="t")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    def call(method, url, body=None):
        kwargs = {"content_type": "application/json"} if body is not None else {}
        return getattr(client, method)(f"/api/v1{url}", body, **kwargs, **headers)

    return call


def test_api_crud(api, coordinator):
    created = api(
        "post", "/subplans", {"kind": "integriteit", "title": "Integriteitsbeleid", "owner_id": coordinator.pk}
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert api("get", "/subplans").json()["count"] == 1
    body = {"kind": "integriteit", "title": "Nieuw", "revision": created.json()["revision"]}
    assert api("put", f"/subplans/{pk}", body).json()["title"] == "Nieuw"
    stale = api("put", f"/subplans/{pk}", body)
    assert stale.status_code == 409
    assert stale["Content-Type"].startswith("application/problem+json")
    assert api("delete", f"/subplans/{pk}").status_code == 204
    assert api("get", f"/subplans/{pk}").status_code == 404


def test_api_refuses_bad_input_with_the_error_contract(api, voorbeeldrecht):
    stranger = member(voorbeeldrecht, "coordinator")
    response = api("post", "/subplans", {"kind": "integriteit", "title": "X", "owner_id": stranger.pk})
    assert response.status_code == 422
    assert [(p["name"], p["reason"]) for p in response.json()["invalid_params"]] == [("owner_id", "Onbekend lid.")]
    response = api("post", "/subplans", {"kind": "onbekend", "title": "X"})
    assert response.status_code == 422
    response = api("post", "/subplans", {"kind": "integriteit", "title": "X", "status": "vastgesteld"})
    assert response.status_code == 422
    assert "vastgesteld" in response.content.decode()


def test_api_viewer_may_read_not_write(client, demostad, subplan):
    with scopes_disabled():
        _, raw = api_token_create(membership=member(demostad, "lezer"), name="t")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert client.get("/api/v1/subplans", **headers).status_code == 200
    response = client.post(
        "/api/v1/subplans", {"kind": "integriteit", "title": "X"}, content_type="application/json", **headers
    )
    assert response.status_code == 403
