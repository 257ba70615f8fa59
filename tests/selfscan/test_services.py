"""The scan round's life: start, assign, answer partly, close, frozen; the versioned questionnaire."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scope, scopes_disabled

from weerbaar.core.audit import acting_as
from weerbaar.core.models import Role
from weerbaar.core.registers import StaleRevision
from weerbaar.knowledge.models import Theme
from weerbaar.selfscan import selectors, services
from weerbaar.selfscan.evidence import MAX_BYTES, check_evidence
from weerbaar.selfscan.models import Answer, Question, Questionnaire, ScanRound

from ..conftest import member
from .conftest import answer_all, close

pytestmark = pytest.mark.django_db


def _answer(scan_round, code):
    with scopes_disabled():
        return Answer.objects.select_related("question", "scan_round").get(scan_round=scan_round, question__code=code)


def test_shipped_questionnaire_has_four_questions_with_five_levels_for_every_theme(questionnaire):
    assert questionnaire.status == Questionnaire.Status.PUBLISHED
    for theme in Theme.objects.all():
        questions = Question.objects.filter(questionnaire=questionnaire, theme=theme)
        assert questions.count() == 4, theme.slug
        for q in questions:
            assert all(text.strip() for _n, text in q.levels)
    assert Question.objects.filter(questionnaire=questionnaire, building_blocks__isnull=False).exists()


def test_loading_the_questionnaire_twice_changes_nothing(questionnaire):
    from weerbaar.selfscan.content import load_questionnaire

    before = Question.objects.count()
    load_questionnaire()
    assert Questionnaire.objects.count() == 1
    assert Question.objects.count() == before


def test_bio2_numbers_are_linked_when_the_catalogue_exists(questionnaire):
    from weerbaar.knowledge.models import Bio2Measure
    from weerbaar.selfscan.content import load_questionnaire

    Bio2Measure.objects.get_or_create(number="5.09.01", defaults={"chapter": "5.9"})
    load_questionnaire()
    assert Question.objects.get(code="IB-1").bio2_measures.filter(number="5.09.01").exists()


def test_starting_a_round_creates_an_empty_answer_per_question_and_keeps_the_version(open_round, questionnaire):
    with scopes_disabled():
        assert open_round.questionnaire == questionnaire
        assert Answer.objects.filter(scan_round=open_round).count() == questionnaire.questions.count()
        assert not Answer.objects.filter(scan_round=open_round, level__isnull=False).exists()


def test_only_one_open_round_at_a_time(open_round, demostad, coordinator):
    with scope(organisation=demostad.pk), pytest.raises(ValidationError, match="loopt al"):
        services.round_start(organisation=demostad, membership=coordinator, title="Tweede")


def test_expert_cannot_start_a_round(demostad, questionnaire, expert):
    with scope(organisation=demostad.pk), pytest.raises(PermissionDenied):
        services.round_start(organisation=demostad, membership=expert, title="X")


def test_assigned_expert_answers_partly_and_it_is_saved(open_round, demostad, expert):
    answer = _answer(open_round, "IB-1")
    with scope(organisation=demostad.pk), acting_as(expert.user):
        services.answer_save(membership=expert, answer=answer, level=2, justification="", evidence_url="")
        answer.refresh_from_db()
        assert answer.level == 2 and answer.answered_by == expert
        # only a note, no level yet, on another question: also kept
        other = _answer(open_round, "IB-2")
        services.answer_save(membership=expert, answer=other, level=None, justification="Navragen bij de CISO")
        other.refresh_from_db()
        assert other.level is None and other.justification == "Navragen bij de CISO"


def test_expert_cannot_answer_a_theme_assigned_to_someone_else(open_round, demostad, expert):
    answer = _answer(open_round, "FB-1")
    with scope(organisation=demostad.pk), pytest.raises(PermissionDenied):
        services.answer_save(membership=expert, answer=answer, level=3)


def test_viewer_cannot_answer(open_round, demostad):
    viewer = member(demostad, "lezer")
    with scope(organisation=demostad.pk), pytest.raises(PermissionDenied):
        services.answer_save(membership=viewer, answer=_answer(open_round, "FB-1"), level=3)


def test_a_stale_answer_is_refused(open_round, demostad, coordinator):
    answer = _answer(open_round, "FB-1")
    with scope(organisation=demostad.pk):
        services.answer_save(membership=coordinator, answer=answer, level=3, expected_revision=0)
        stale = _answer(open_round, "FB-1")
        stale.revision = 0
        with pytest.raises(StaleRevision):
            services.answer_save(membership=coordinator, answer=stale, level=4, expected_revision=0)


def test_closing_freezes_the_round(open_round, demostad, coordinator, expert):
    answer_all(open_round, coordinator)
    close(open_round, coordinator)
    answer = _answer(open_round, "IB-1")
    with scope(organisation=demostad.pk):
        with pytest.raises(services.RoundClosed):
            services.answer_save(membership=coordinator, answer=answer, level=5)
        with pytest.raises(services.RoundClosed):
            services.round_close(membership=coordinator, scan_round=open_round)
        assignment = open_round.assignments.first()
        with pytest.raises(services.RoundClosed):
            services.assignment_set(membership=coordinator, assignment=assignment, member=expert)
        with pytest.raises(services.RoundClosed):
            services.round_delete(membership=coordinator, scan_round=open_round)
    answer.refresh_from_db()
    assert answer.level == 3


def test_a_stale_answer_object_cannot_change_a_round_closed_meanwhile(open_round, demostad, coordinator):
    answer = _answer(open_round, "FB-1")  # loaded while the round was open
    answer_all(open_round, coordinator)
    close(open_round, coordinator)
    with scope(organisation=demostad.pk), pytest.raises(services.RoundClosed):
        services.answer_save(membership=coordinator, answer=answer, level=1)


def test_an_empty_round_cannot_be_closed(open_round, demostad, coordinator):
    with scope(organisation=demostad.pk), pytest.raises(ValidationError, match="geen enkele vraag"):
        services.round_close(membership=coordinator, scan_round=open_round)


def test_only_coordinator_or_expert_can_be_assigned(open_round, demostad, coordinator):
    board = member(demostad, "bestuur")
    with scope(organisation=demostad.pk), pytest.raises(ValidationError):
        services.assignment_set(membership=coordinator, assignment=open_round.assignments.first(), member=board)


def test_publishing_a_new_version_does_not_change_old_rounds(open_round, demostad, coordinator, questionnaire):
    from weerbaar.core.demo import load_demo

    load_demo()
    editor = (
        __import__("django.contrib.auth", fromlist=["get_user_model"])
        .get_user_model()
        .objects.get(email="redacteur@weerbaar.example")
    )
    answer_all(open_round, coordinator)
    close(open_round, coordinator)
    draft = services.questionnaire_new_draft(user=editor)
    q = draft.questions.get(code="IB-1")
    services.question_save(
        user=editor,
        questionnaire=draft,
        question=q,
        theme=q.theme,
        code="IB-1",
        text="Nieuwe tekst van de vraag",
        levels=["a", "b", "c", "d", "e"],
    )
    services.questionnaire_publish(user=editor, questionnaire=draft)
    assert services.current_questionnaire() == draft
    with scopes_disabled():
        old = Answer.objects.select_related("question").get(scan_round=open_round, question__code="IB-1")
    assert old.question.questionnaire == questionnaire
    assert old.question.text != "Nieuwe tekst van de vraag"
    # A published version is frozen.
    with pytest.raises(services.VersionPublished):
        services.question_save(
            user=editor, questionnaire=draft, question=q, theme=q.theme, code="IB-1", text="x", levels=["a"] * 5
        )
    # New rounds use the new version.
    with scope(organisation=demostad.pk):
        new = services.round_start(organisation=demostad, membership=coordinator, title="Volgend jaar")
    assert new.questionnaire == draft


def test_coordinator_cannot_edit_the_questionnaire(questionnaire, coordinator):
    with pytest.raises(PermissionDenied):
        services.questionnaire_new_draft(user=coordinator.user)


def test_scores_are_the_average_level_per_theme(open_round, coordinator):
    answer_all(open_round, coordinator, lambda a: 1 if a.question.code.endswith("1") else 3)
    with scopes_disabled():
        scores = selectors.theme_scores([open_round.pk])[open_round.pk]
    ib = Theme.objects.get(slug="informatiebeveiliging").pk
    assert scores[ib] == pytest.approx((1 + 3 + 3 + 3) / 4)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bewijs.exe", b"MZ\x90\x00", "soort bestand"),
        ("bewijs.pdf", b"not a pdf at all", "past niet"),
        ("bewijs.png", b"%PDF-1.4", "past niet"),
        ("bewijs.txt", b"\x00\x01\x02", "past niet"),
        ("leeg.pdf", b"", "leeg"),
    ],
)
def test_evidence_of_the_wrong_type_is_refused(name, content, message):
    with pytest.raises(ValidationError, match=message):
        check_evidence(SimpleUploadedFile(name, content))


def test_evidence_that_is_too_large_is_refused():
    with pytest.raises(ValidationError, match="te groot"):
        check_evidence(SimpleUploadedFile("groot.pdf", b"%PDF-" + b"0" * MAX_BYTES))


def test_a_zip_bomb_disguised_as_word_file_is_refused():
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"0" * (60 * 1024 * 1024))
    with pytest.raises(ValidationError):
        check_evidence(SimpleUploadedFile("bom.docx", buf.getvalue()))


def test_a_pdf_is_kept_as_evidence(open_round, demostad, coordinator):
    checked = check_evidence(SimpleUploadedFile("beleid.pdf", b"%PDF-1.7 inhoud"))
    answer = _answer(open_round, "FB-1")
    with scope(organisation=demostad.pk):
        services.answer_save(membership=coordinator, answer=answer, level=3, evidence_file=checked)
        answer.refresh_from_db()
    assert answer.evidence_name == "beleid.pdf" and bytes(answer.evidence_data).startswith(b"%PDF")


def test_expert_role_cannot_close_or_change_settings(open_round, demostad, expert):
    with scope(organisation=demostad.pk):
        with pytest.raises(PermissionDenied):
            services.round_close(membership=expert, scan_round=open_round)
        with pytest.raises(PermissionDenied):
            services.settings_update(organisation=demostad, membership=expert, benchmark_opt_in=True)


def test_weak_answer_becomes_a_measure_once(open_round, demostad, coordinator):
    from weerbaar.risks.models import Measure

    answer_all(open_round, coordinator, lambda a: 1)
    close(open_round, coordinator)
    answer = _answer(open_round, "IB-2")
    with scope(organisation=demostad.pk), acting_as(coordinator.user):
        measure = services.answer_to_measure(organisation=demostad, membership=coordinator, answer=answer)
        assert Measure.objects.filter(pk=measure.pk, themes__slug="informatiebeveiliging").exists()
        assert "IB-2" in measure.description
        # The question's BIO2 government measures go along to the new measure.
        expected = set(answer.question.bio2_measures.filter(status="measure").values_list("number", flat=True))
        assert set(measure.bio2_measures.values_list("number", flat=True)) == expected
        with pytest.raises(ValidationError, match="al een maatregel"):
            services.answer_to_measure(
                organisation=demostad, membership=coordinator, answer=_answer(open_round, "IB-2")
            )


def test_round_status_is_stored(open_round):
    assert ScanRound.objects.with_scopes_disabled().get(pk=open_round.pk).status == "open"
    assert Role.EXPERT
