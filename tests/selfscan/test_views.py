"""The pages a coordinator and a theme expert use: answer, close, results, downloads, follow-up."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_scopes import scopes_disabled

from weerbaar.selfscan.models import Answer, ScanRound

from ..conftest import member
from .conftest import answer_all, close

pytestmark = pytest.mark.django_db


def url(name, **kw):
    return reverse(f"selfscan:{name}", kwargs={"org": "demostad", **kw})


def _answers(scan_round, theme_slug):
    with scopes_disabled():
        return list(
            Answer.objects.filter(scan_round=scan_round, question__theme__slug=theme_slug).order_by("question__order")
        )


def test_coordinator_starts_a_round_with_assignments(demostad, questionnaire, coordinator_client, expert):
    from weerbaar.knowledge.models import Theme

    ib = Theme.objects.get(slug="informatiebeveiliging")
    response = coordinator_client.post(url("round_new"), {"title": "Zelfscan voorjaar", f"theme_{ib.pk}": expert.pk})
    assert response.status_code == 302
    with scopes_disabled():
        scan_round = ScanRound.objects.get(organisation=demostad)
        assert scan_round.assignments.get(theme=ib).member == expert


def test_starting_without_a_name_shows_the_error_at_the_field(demostad, questionnaire, coordinator_client):
    response = coordinator_client.post(url("round_new"), {"title": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="foutmeldingen"' in html and 'href="#id_title"' in html


def test_expert_answers_own_theme_with_a_file_and_partial_answers_are_kept(open_round, expert, login):
    client = login(expert.user)
    answers = _answers(open_round, "informatiebeveiliging")
    first = answers[0]
    data = {
        f"a{first.pk}-level": "2",
        f"a{first.pk}-justification": "Alleen een lijst bij IT",
        f"a{first.pk}-revision": "0",
    }
    data[f"a{first.pk}-evidence_file"] = SimpleUploadedFile("overzicht.pdf", b"%PDF-1.4 overzicht")
    for other in answers[1:]:
        data[f"a{other.pk}-revision"] = "0"
    response = client.post(url("answer_theme", pk=open_round.pk, slug="informatiebeveiliging"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    with scopes_disabled():
        first.refresh_from_db()
        assert first.level == 2 and first.evidence_name == "overzicht.pdf"
        assert (
            Answer.objects.filter(scan_round=open_round, level__isnull=True).count()
            == len(Answer.objects.filter(scan_round=open_round)) - 1
        )
    download = client.get(url("evidence", pk=first.pk))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"


def test_a_wrong_file_is_refused_with_the_typed_values_kept(open_round, expert, login):
    client = login(expert.user)
    first = _answers(open_round, "informatiebeveiliging")[0]
    data = {
        f"a{first.pk}-level": "4",
        f"a{first.pk}-justification": "Mijn uitleg",
        f"a{first.pk}-evidence_file": SimpleUploadedFile("virus.exe", b"MZ\x90"),
    }
    response = client.post(url("answer_theme", pk=open_round.pk, slug="informatiebeveiliging"), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Dit soort bestand" in html and "Mijn uitleg" in html and 'id="foutmeldingen"' in html
    with scopes_disabled():
        first.refresh_from_db()
    assert first.level is None


def test_expert_cannot_post_answers_to_a_theme_of_someone_else(open_round, expert, login):
    client = login(expert.user)
    response = client.post(url("answer_theme", pk=open_round.pk, slug="governance"), {})
    assert response.status_code == 403
    page = client.get(url("answer_theme", pk=open_round.pk, slug="governance"))
    assert page.status_code == 200 and '<form method="post" enctype' not in page.content.decode()


def test_close_page_asks_for_confirmation_then_freezes(open_round, coordinator, coordinator_client):
    answer_all(open_round, coordinator, lambda a: 2)
    page = coordinator_client.get(url("round_close", pk=open_round.pk))
    assert page.status_code == 200
    refused = coordinator_client.post(url("round_close", pk=open_round.pk), {"revision": "0"})
    assert refused.status_code == 400 and "Bevestig" in refused.content.decode()
    done = coordinator_client.post(url("round_close", pk=open_round.pk), {"revision": "0", "confirm": "on"})
    assert done.status_code == 302
    with scopes_disabled():
        assert ScanRound.objects.get(pk=open_round.pk).is_closed
    first = _answers(open_round, "governance")[0]
    after = coordinator_client.post(
        url("answer_theme", pk=open_round.pk, slug="governance"), {f"a{first.pk}-level": "5"}
    )
    assert after.status_code == 302
    with scopes_disabled():
        first.refresh_from_db()
    assert first.level == 2


def test_expert_gets_no_close_button_and_a_403_on_the_close_page(open_round, expert, login):
    client = login(expert.user)
    page = client.get(url("round", pk=open_round.pk)).content.decode()
    assert url("round_close", pk=open_round.pk) not in page
    assert client.get(url("round_close", pk=open_round.pk)).status_code == 403


def test_results_show_radar_table_progress_and_weak_answers(open_round, demostad, coordinator, coordinator_client):
    from weerbaar.selfscan import services

    answer_all(open_round, coordinator, lambda a: 1)
    close(open_round, coordinator)
    with scopes_disabled():
        second = services.round_start(organisation=demostad, membership=coordinator, title="Zelfscan 2027")
    answer_all(second, coordinator, lambda a: 3)
    close(second, coordinator)
    response = coordinator_client.get(url("results", pk=second.pk))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="weerbaar-chart weerbaar-selfscan-radar"' in html and 'data-rounds="2"' in html
    assert 'data-change="informatiebeveiliging">+2,0' in html
    assert "Voortgang over de rondes" in html
    old = coordinator_client.get(url("results", pk=open_round.pk)).content.decode()
    assert "Actie in jaarplan maken" in old


def test_weak_answer_becomes_an_action_in_the_yearly_plan(open_round, demostad, coordinator, coordinator_client):
    from weerbaar.cycle.models import Action

    answer_all(open_round, coordinator, lambda a: 1)
    close(open_round, coordinator)
    weak = _answers(open_round, "informatiebeveiliging")[0]
    response = coordinator_client.post(url("to_action", pk=weak.pk))
    assert response.status_code == 302
    with scopes_disabled():
        weak.refresh_from_db()
        action = Action.objects.get(pk=weak.action_id)
        assert action.organisation == demostad and weak.question.code in action.description
    page = coordinator_client.get(url("results", pk=open_round.pk)).content.decode()
    assert "Actie in het jaarplan:" in page


def test_viewer_reads_results_but_gets_no_follow_up_buttons(open_round, demostad, coordinator, login):
    answer_all(open_round, coordinator, lambda a: 1)
    close(open_round, coordinator)
    client = login(member(demostad, "lezer").user)
    html = client.get(url("results", pk=open_round.pk)).content.decode()
    assert "Actie in jaarplan maken" not in html
    weak = _answers(open_round, "awareness")[0]
    assert client.post(url("to_action", pk=weak.pk)).status_code == 403
    assert url("round_new") not in client.get(url("index")).content.decode()


def test_results_download_as_pdf_and_word(open_round, coordinator, coordinator_client):
    answer_all(open_round, coordinator, lambda a: 2)
    close(open_round, coordinator)
    pdf = coordinator_client.get(url("results_pdf", pk=open_round.pk))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    docx = coordinator_client.get(url("results_word", pk=open_round.pk))
    assert docx.status_code == 200 and docx.content.startswith(b"PK")
    from weerbaar.documents.word import docx_text

    assert "Volwassenheid per thema" in docx_text(docx.content)


def test_settings_opt_in(demostad, coordinator_client):
    response = coordinator_client.post(url("settings"), {"benchmark_opt_in": "on"})
    assert response.status_code == 302
    from weerbaar.selfscan.models import ScanSettings

    with scopes_disabled():
        assert ScanSettings.objects.get(organisation=demostad).benchmark_opt_in


def test_menu_has_zelfscan(demostad, coordinator_client):
    html = coordinator_client.get(reverse("core:dashboard", kwargs={"org": "demostad"})).content.decode()
    assert f'href="{url("index")}"' in html and "Zelfscan" in html


def test_index_query_count_does_not_grow_with_rounds(
    demostad, coordinator, questionnaire, coordinator_client, django_assert_max_num_queries
):
    from weerbaar.selfscan import services

    for i in range(6):
        with scopes_disabled():
            r = services.round_start(organisation=demostad, membership=coordinator, title=f"Ronde {i}")
        answer_all(r, coordinator, lambda a: 2)
        close(r, coordinator)
    with django_assert_max_num_queries(30):
        assert coordinator_client.get(url("index")).status_code == 200
    with scopes_disabled():
        last = ScanRound.objects.filter(organisation=demostad).first()
    with django_assert_max_num_queries(30):
        assert coordinator_client.get(url("results", pk=last.pk)).status_code == 200
    with django_assert_max_num_queries(30):
        assert coordinator_client.get(url("round", pk=last.pk)).status_code == 200


def test_editor_edits_a_draft_question_and_publishes(questionnaire, client):
    from django.contrib.auth import get_user_model

    from weerbaar.core.demo import load_demo
    from weerbaar.selfscan.models import Question, Questionnaire

    load_demo()
    editor = get_user_model().objects.get(email="redacteur@weerbaar.example")
    client.force_login(editor, backend="django.contrib.auth.backends.ModelBackend")
    assert client.post(reverse("selfscan:questionnaires")).status_code == 302
    draft = Questionnaire.objects.get(status="draft")
    q = draft.questions.get(code="AW-1")
    data = {"theme": q.theme.pk, "code": "AW-1", "text": "Is er een bewustwordingsprogramma?", "explanation": ""}
    data.update({f"level_{n}": f"Niveau {n} beschreven" for n in range(1, 6)})
    assert client.post(reverse("selfscan:question_edit", kwargs={"pk": q.pk}), data).status_code == 302
    assert client.post(reverse("selfscan:questionnaire", kwargs={"pk": draft.pk})).status_code == 302
    draft.refresh_from_db()
    assert draft.status == "published"
    assert Question.objects.get(questionnaire=questionnaire, code="AW-1").text != data["text"]
    # a published version's question cannot be edited any more
    response = client.post(reverse("selfscan:question_edit", kwargs={"pk": q.pk}), data)
    assert response.status_code == 302
    q.refresh_from_db()
    assert q.level_1 == "Niveau 1 beschreven"


def test_editor_removes_a_question_from_a_draft_but_never_from_a_published_version(questionnaire, client):
    from django.contrib.auth import get_user_model

    from weerbaar.core.demo import load_demo
    from weerbaar.selfscan.models import Question, Questionnaire

    load_demo()
    client.force_login(
        get_user_model().objects.get(email="redacteur@weerbaar.example"),
        backend="django.contrib.auth.backends.ModelBackend",
    )
    published = questionnaire.questions.get(code="PR-4")
    refused = client.post(reverse("selfscan:question_delete", kwargs={"pk": published.pk}))
    assert refused.status_code == 400 and Question.objects.filter(pk=published.pk).exists()
    client.post(reverse("selfscan:questionnaires"))
    draft_question = Questionnaire.objects.get(status="draft").questions.get(code="PR-4")
    assert client.get(reverse("selfscan:question_delete", kwargs={"pk": draft_question.pk})).status_code == 200
    assert client.post(reverse("selfscan:question_delete", kwargs={"pk": draft_question.pk})).status_code == 302
    assert not Question.objects.filter(pk=draft_question.pk).exists()
    assert Question.objects.filter(pk=published.pk).exists()
