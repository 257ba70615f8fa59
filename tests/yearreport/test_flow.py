"""Building, submitting and adopting through the pages: confirmation, errors, freezing, roles."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from weerbaar.core.models import AuditEntry
from weerbaar.yearreport.models import YearReport

from ..conftest import member
from ..risks.factories import RiskFactory
from .conftest import FOREWORD, adopt, build, docx_text, last_year


def url(name, org, report=None):
    kwargs = {"org": org.slug}
    if report is not None:
        kwargs["pk"] = report.pk
    return reverse(f"yearreport:{name}", kwargs=kwargs)


def get_report(pk):
    with scopes_disabled():
        return YearReport.objects.get(pk=pk)


def test_coordinator_builds_a_report_with_one_click(demostad, coordinator_client):
    response = coordinator_client.post(url("list", demostad), {"year": last_year()})
    with scopes_disabled():
        report = YearReport.objects.get(organisation=demostad)
    assert response.status_code == 302 and response["Location"] == url("detail", demostad, report)
    assert report.year == last_year() and report.is_draft and report.content is None
    # A second click opens the open version instead of making another one.
    again = coordinator_client.post(url("list", demostad), {"year": last_year()})
    assert again["Location"] == url("detail", demostad, report)
    with scopes_disabled():
        assert YearReport.objects.filter(organisation=demostad).count() == 1


def test_a_year_in_the_future_is_refused_at_the_field(demostad, coordinator_client):
    response = coordinator_client.post(url("list", demostad), {"year": timezone.localdate().year + 1})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Controleer het volgende" in html and "Kies een jaar uit de lijst." in html


def test_submit_asks_first_and_says_what_will_happen(demostad, coordinator_client):
    report = build(demostad)
    page = coordinator_client.get(url("submit", demostad, report))
    assert page.status_code == 200
    assert "Wat er gebeurt" in page.content.decode() and "Ja, indienen" in page.content.decode()
    assert get_report(report.pk).is_draft  # asking changes nothing
    response = coordinator_client.post(url("submit", demostad, report))
    assert response.status_code == 302
    submitted = get_report(report.pk)
    assert submitted.status == YearReport.Status.SUBMITTED and submitted.content


def test_submit_without_foreword_lists_what_is_missing_and_offers_no_button(demostad, coordinator_client):
    report = build(demostad, texts=False)
    page = coordinator_client.get(url("submit", demostad, report)).content.decode()
    assert "Schrijf een voorwoord." in page and "Ja, indienen" not in page
    response = coordinator_client.post(url("submit", demostad, report))
    assert response.status_code == 400 and "Controleer het volgende" in response.content.decode()
    assert get_report(report.pk).is_draft


def test_foreword_and_conclusions_are_edited_and_a_stale_save_is_shown(demostad, coordinator_client):
    report = build(demostad, texts=False)
    edit = url("texts", demostad, report)
    ok = coordinator_client.post(edit, {"foreword": "Eerste", "conclusions": "Slot", "revision": 0})
    assert ok.status_code == 302 and get_report(report.pk).foreword == "Eerste"
    stale = coordinator_client.post(edit, {"foreword": "Mijn tekst", "conclusions": "Slot", "revision": 0})
    assert stale.status_code == 409 and "Mijn tekst" in stale.content.decode()
    assert "Iemand anders heeft dit opgeslagen" in stale.content.decode()
    assert get_report(report.pk).foreword == "Eerste"


def test_board_adopts_with_confirmation_and_the_report_is_frozen(demostad, coordinator_client, login, client):
    with scope(organisation=demostad.pk):
        RiskFactory(organisation=demostad, title="Phishing")
    report = build(demostad, year=timezone.localdate().year)
    coordinator_client.post(url("submit", demostad, report))
    board = login(member(demostad, "bestuur").user)
    page = board.get(url("adopt", demostad, report)).content.decode()
    assert "Wat er gebeurt" in page and "bevroren" in page
    response = board.post(
        url("adopt", demostad, report),
        {
            "adopted_on": timezone.localdate().isoformat(),
            "decision_reference": "B&W 2026/77",
            "adopted_by_body": "college",
        },
    )
    assert response.status_code == 302
    adopted = get_report(report.pk)
    assert adopted.status == YearReport.Status.ADOPTED and adopted.word and adopted.pdf
    frozen_word, frozen_content = bytes(adopted.word), adopted.content
    assert "B&W 2026/77" in docx_text(frozen_word)

    # The register changes afterwards: the adopted report does not.
    with scope(organisation=demostad.pk):
        RiskFactory(
            organisation=demostad, title="Nieuw risico na vaststelling", inherent_likelihood=5, inherent_impact=5
        )
    assert board.get(url("word", demostad, report)).content == frozen_word
    page = board.get(url("detail", demostad, report)).content.decode()
    assert "vastgesteld en bevroren" in page
    assert get_report(report.pk).content == frozen_content
    # A new draft for the same year shows the register as it is now.
    login(member(demostad, "coordinator").user)
    client.post(url("new_version", demostad, report))
    with scopes_disabled():
        draft = YearReport.objects.get(organisation=demostad, year=report.year, number=2)
    assert draft.is_draft and draft.foreword == FOREWORD
    with scopes_disabled():
        risks_then = frozen_content[1]["blocks"][2]["rows"][0]
    draft_page = client.get(url("detail", demostad, draft)).content.decode()
    assert risks_then[2] == "1"  # one risk when it was frozen
    assert ">2</td>" in draft_page  # two now


def test_adoption_errors_are_shown_at_the_field_with_a_summary(demostad, login):
    earlier = build(demostad, year=last_year() - 1)
    adopt(demostad, earlier, on=timezone.localdate() - datetime.timedelta(days=10))
    report = build(demostad)
    with scope(organisation=demostad.pk):
        from weerbaar.yearreport import services

        services.report_submit(report=report, membership=member(demostad, "coordinator"))
    board = login(member(demostad, "bestuur").user)
    future = board.post(
        url("adopt", demostad, report),
        {
            "adopted_on": (timezone.localdate() + datetime.timedelta(days=3)).isoformat(),
            "decision_reference": "",
            "adopted_by_body": "college",
        },
    )
    html = future.content.decode()
    assert future.status_code == 400 and "Controleer het volgende" in html
    assert 'href="#id_decision_reference"' in html
    before_previous = board.post(
        url("adopt", demostad, report),
        {
            "adopted_on": (timezone.localdate() - datetime.timedelta(days=20)).isoformat(),
            "decision_reference": "B&W 9",
            "adopted_by_body": "college",
        },
    )
    html = before_previous.content.decode()
    assert before_previous.status_code == 400
    assert "vóór dat over het vorige vastgestelde jaarverslag" in html
    assert 'value="B&amp;W 9"' in html  # what was typed is kept
    assert get_report(report.pk).status == YearReport.Status.SUBMITTED


@pytest.mark.parametrize("local", ["auditor", "lezer", "expert"])
def test_readers_read_and_download_but_are_offered_no_actions(demostad, login, local):
    report = build(demostad)
    reader = login(member(demostad, local).user)
    page = reader.get(url("detail", demostad, report))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Indienen ter besluitvorming" not in html and "bewerken" not in html
    assert reader.get(url("pdf", demostad, report)).status_code == 200
    assert reader.get(url("submit", demostad, report)).status_code == 403
    assert reader.post(url("submit", demostad, report)).status_code == 403
    assert reader.post(url("list", demostad), {"year": last_year()}).status_code == 403
    assert "Jaarverslag opstellen" not in reader.get(url("list", demostad)).content.decode()


def test_coordinator_cannot_adopt_and_board_cannot_submit(demostad, coordinator_client, login):
    report = build(demostad)
    board = login(member(demostad, "bestuur").user)
    assert board.post(url("submit", demostad, report)).status_code == 403
    login(member(demostad, "coordinator").user)
    coordinator_client.post(url("submit", demostad, report))
    response = coordinator_client.post(
        url("adopt", demostad, report),
        {"adopted_on": timezone.localdate().isoformat(), "decision_reference": "X", "adopted_by_body": "college"},
    )
    assert response.status_code == 403
    page = coordinator_client.get(url("detail", demostad, report)).content.decode()
    assert "Vaststellen" not in page


def test_another_municipalitys_report_is_not_found(demostad, voorbeeldrecht, login):
    report = build(demostad)
    outsider = login(member(voorbeeldrecht, "coordinator").user)
    for name in ("detail", "texts", "submit", "adopt", "word", "pdf", "new_version"):
        assert outsider.get(url(name, voorbeeldrecht, report)).status_code == 404, name
        assert outsider.post(url(name, voorbeeldrecht, report)).status_code in (404, 405), name
    assert outsider.get(url("detail", demostad, report)).status_code == 404


def test_submit_and_adopt_are_in_the_audit_trail(demostad):
    report = adopt(demostad, build(demostad))
    with scopes_disabled():
        events = set(
            AuditEntry.objects.filter(object_type="yearreport.yearreport", object_id=str(report.pk)).values_list(
                "event", flat=True
            )
        )
    assert {"yearreport_built", "yearreport_submitted", "yearreport_adopted"} <= events


def test_list_page_queries_do_not_grow_with_reports(demostad, coordinator_client, django_assert_max_num_queries):
    this_year = timezone.localdate().year
    for year in range(this_year - 12, this_year):
        build(demostad, year=year, texts=False)
    with django_assert_max_num_queries(12):
        response = coordinator_client.get(url("list", demostad))
    assert response.status_code == 200 and response.content.decode().count("Jaarverslag ") >= 10


def test_board_start_page_lists_the_report_waiting_for_adoption(demostad, login):
    report = build(demostad)
    with scope(organisation=demostad.pk):
        from weerbaar.yearreport import services

        services.report_submit(report=report, membership=member(demostad, "coordinator"))
    board = login(member(demostad, "bestuur").user)
    html = board.get(reverse("core:dashboard", kwargs={"org": demostad.slug})).content.decode()
    assert f"Jaarverslag {report.year}, versie 1 vaststellen" in html
    assert url("adopt", demostad, report) in html
