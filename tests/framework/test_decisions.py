"""Safe decisions: submit, adopt and withdraw ask first, say what happens, and keep what was typed."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scope

from weerbaar.framework import services
from weerbaar.framework.models import FrameworkVersion, Step

from ..conftest import member

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def url(version, action):
    return f"/g/demostad/kader/versies/{version.number}/{action}/"


def test_submit_asks_first_and_needs_a_yes_for_open_comments(coordinator_client, complete_draft, coordinator):
    with scope(organisation=complete_draft.organisation_id):
        services.comment_add(
            version=complete_draft, membership=coordinator, step=Step.VISION, body="Graag korter formuleren"
        )
    page = coordinator_client.get(url(complete_draft, "indienen"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Wat er gebeurt" in html and "Ja, indienen" in html
    assert "Graag korter formuleren" in html  # the open comment is listed, with a link to its step
    # Without the explicit yes nothing happens, and the answer says why at the checkbox.
    answer = coordinator_client.post(url(complete_draft, "indienen"), {})
    assert answer.status_code == 400 and "Handel de opmerkingen eerst af" in answer.content.decode()
    complete_draft.refresh_from_db()
    assert complete_draft.status == FrameworkVersion.Status.DRAFT
    answer = coordinator_client.post(url(complete_draft, "indienen"), {"open_comments_ok": "on"})
    assert answer.status_code == 302
    complete_draft.refresh_from_db()
    assert complete_draft.status == FrameworkVersion.Status.SUBMITTED


def test_an_incomplete_draft_shows_what_is_missing_and_offers_no_submit_button(coordinator_client, draft):
    html = coordinator_client.get(url(draft, "indienen")).content.decode()
    assert "Dit kan nog niet" in html and "Ja, indienen" not in html


def test_adoption_errors_sit_at_their_fields_and_typed_values_stay(client, login, complete_draft, coordinator, board):
    with scope(organisation=complete_draft.organisation_id):
        services.version_submit(version=complete_draft, membership=coordinator)
    login(board.user)
    assert "Wat er gebeurt" in client.get(url(complete_draft, "vaststellen")).content.decode()
    answer = client.post(
        url(complete_draft, "vaststellen"),
        {"adopted_on": "2026-03-02", "decision_reference": "x", "adopted_by_body": "x"},
    )
    html = answer.content.decode()
    assert answer.status_code == 400
    assert "foutoverzicht" in html  # the summary on top links to the fields
    assert "Vul het kenmerk van het besluit in zoals het is vastgelegd" in html
    assert "Vul in welk orgaan het besluit nam" in html
    assert 'value="2026-03-02"' in html and 'value="x"' in html
    complete_draft.refresh_from_db()
    assert complete_draft.status == FrameworkVersion.Status.SUBMITTED


def test_adoption_date_cannot_precede_the_previous_version_and_the_decision_can_be_attached(
    client, login, adopted, coordinator, board, voorbeeldrecht
):
    with scope(organisation=adopted.organisation_id):
        v2 = services.version_create_from(source=adopted, membership=coordinator)
        services.version_submit(version=v2, membership=coordinator)
    login(board.user)
    answer = client.post(
        url(v2, "vaststellen"),
        {"adopted_on": "2026-01-05", "decision_reference": "B&W 2026/77", "adopted_by_body": "college van B&W"},
    )
    assert answer.status_code == 400 and "kan niet van eerder zijn" in answer.content.decode()

    not_a_document = SimpleUploadedFile("besluit.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    answer = client.post(
        url(v2, "vaststellen"),
        {
            "adopted_on": "2026-05-01",
            "decision_reference": "B&W 2026/77",
            "adopted_by_body": "college van B&W",
            "decision_document": not_a_document,
        },
    )
    assert answer.status_code == 400 and "Kies een PDF- of Word-bestand" in answer.content.decode()

    too_big = SimpleUploadedFile("besluit.pdf", PDF + b"0" * (10 * 1024 * 1024), content_type="application/pdf")
    answer = client.post(
        url(v2, "vaststellen"),
        {
            "adopted_on": "2026-05-01",
            "decision_reference": "B&W 2026/77",
            "adopted_by_body": "college van B&W",
            "decision_document": too_big,
        },
    )
    assert answer.status_code == 400 and "Het bestand is groter dan 10 MB." in answer.content.decode()

    decision = SimpleUploadedFile("besluit college.pdf", PDF, content_type="application/pdf")
    answer = client.post(
        url(v2, "vaststellen"),
        {
            "adopted_on": "2026-05-01",
            "decision_reference": "B&W 2026/77",
            "adopted_by_body": "college van B&W",
            "decision_document": decision,
        },
    )
    assert answer.status_code == 302
    v2.refresh_from_db()
    adopted.refresh_from_db()
    assert v2.status == FrameworkVersion.Status.ADOPTED and v2.adopted_on == datetime.date(2026, 5, 1)
    assert adopted.status == FrameworkVersion.Status.SUPERSEDED
    download = client.get(url(v2, "besluit"))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert "attachment" in download["Content-Disposition"] and download["X-Content-Type-Options"] == "nosniff"
    # Another municipality's member does not reach it.
    login(member(voorbeeldrecht, "coordinator").user)
    assert client.get(url(v2, "besluit")).status_code == 404


def test_withdraw_asks_first(coordinator_client, complete_draft, coordinator):
    with scope(organisation=complete_draft.organisation_id):
        services.version_submit(version=complete_draft, membership=coordinator)
    html = coordinator_client.get(url(complete_draft, "terug-naar-concept")).content.decode()
    assert "Ja, terug naar concept" in html
    complete_draft.refresh_from_db()
    assert complete_draft.status == FrameworkVersion.Status.SUBMITTED  # looking changes nothing
    assert coordinator_client.post(url(complete_draft, "terug-naar-concept")).status_code == 302
    complete_draft.refresh_from_db()
    assert complete_draft.status == FrameworkVersion.Status.DRAFT
