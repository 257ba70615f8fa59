"""Every write of the self-scan: validate, change in one transaction, record the audit entry.

A closed round is frozen: :func:`answer_save`, :func:`assignment_set` and :func:`round_close`
refuse (``RoundClosed``) whatever calls them (page, API, command). Only the follow-up of a weak
answer (an action in the yearly plan or a measure) is recorded after closing, because that is
what a closed round is for; it does not change the answer itself.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from weerbaar.core import audit, permissions
from weerbaar.core.models import Membership, Organisation
from weerbaar.core.registers import claim_revision
from weerbaar.cycle.services import action_create
from weerbaar.knowledge.models import Bio2Measure, BuildingBlock, Theme
from weerbaar.risks.services import measure_save

from .evidence import EvidenceFile
from .models import Answer, Question, Questionnaire, ScanRound, ScanSettings, ThemeAssignment
from .permissions import ASSIGNABLE_ROLES


class RoundClosed(ValidationError):
    """The round is closed; nothing in it changes any more."""

    def __init__(self):
        super().__init__(_("Deze scanronde is afgesloten. Antwoorden en toewijzingen liggen vast."), code="closed")


class VersionPublished(ValidationError):
    def __init__(self):
        super().__init__(
            _("Deze versie van de vragenlijst is gepubliceerd en ligt vast. Maak een nieuwe versie om te wijzigen."),
            code="published",
        )


def _refuse_closed(scan_round: ScanRound) -> None:
    # Read the status from the database under a row lock: a close that just happened counts.
    status = ScanRound.objects.select_for_update().filter(pk=scan_round.pk).values_list("status", flat=True).first()
    if status == ScanRound.Status.CLOSED:
        raise RoundClosed()


# --- the national questionnaire ---------------------------------------------------------------


def current_questionnaire() -> Questionnaire | None:
    """The newest published version: the one a new round answers."""
    return Questionnaire.objects.filter(status=Questionnaire.Status.PUBLISHED).order_by("-version").first()


@transaction.atomic
def questionnaire_new_draft(*, user) -> Questionnaire:
    """A new draft version, a copy of the newest published one (or of the existing draft)."""
    permissions.require(user, "selfscan.edit_questionnaire")
    draft = Questionnaire.objects.filter(status=Questionnaire.Status.DRAFT).first()
    if draft is not None:
        raise ValidationError(_("Er is al een conceptversie (versie %(v)s). Werk die eerst af.") % {"v": draft.version})
    source = current_questionnaire()
    last = Questionnaire.objects.order_by("-version").values_list("version", flat=True).first() or 0
    draft = Questionnaire.objects.create(
        version=last + 1, title=source.title if source else _("Zelfscan integrale beveiliging")
    )
    if source is not None:
        for q in source.questions.prefetch_related("building_blocks", "bio2_measures"):
            blocks, measures = list(q.building_blocks.all()), list(q.bio2_measures.all())
            q.pk = None
            q.questionnaire = draft
            q.save()
            q.building_blocks.set(blocks)
            q.bio2_measures.set(measures)
    return draft


@transaction.atomic
def question_save(
    *,
    user,
    questionnaire: Questionnaire,
    question: Question | None = None,
    theme: Theme,
    code: str,
    text: str,
    explanation: str = "",
    levels: list[str],
    building_blocks: Iterable[BuildingBlock] = (),
    bio2_measures: Iterable[Bio2Measure] = (),
    order: int | None = None,
) -> Question:
    permissions.require(user, "selfscan.edit_questionnaire")
    questionnaire = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    if not questionnaire.is_draft:
        raise VersionPublished()
    if question is not None and question.questionnaire_id != questionnaire.pk:
        raise PermissionDenied
    errors = {}
    if len(levels) != 5 or any(not (lv or "").strip() for lv in levels):
        errors["levels"] = _("Beschrijf alle vijf niveaus.")
    duplicate = Question.objects.filter(questionnaire=questionnaire, code=code)
    if question is not None:
        duplicate = duplicate.exclude(pk=question.pk)
    if duplicate.exists():
        errors["code"] = _("Deze code bestaat al in deze versie.")
    if errors:
        raise ValidationError(errors)
    question = question or Question(questionnaire=questionnaire)
    question.theme = theme
    question.code = code
    question.text = text
    question.explanation = explanation or ""
    for n, value in enumerate(levels, start=1):
        setattr(question, f"level_{n}", value.strip())
    if order is not None:
        question.order = order
    elif not question.pk:
        question.order = (questionnaire.questions.count() or 0) + 1
    question.full_clean(exclude=["questionnaire"])
    question.save()
    question.building_blocks.set(list(building_blocks))
    question.bio2_measures.set(list(bio2_measures))
    return question


@transaction.atomic
def question_delete(*, user, question: Question) -> None:
    permissions.require(user, "selfscan.edit_questionnaire")
    if not Questionnaire.objects.select_for_update().get(pk=question.questionnaire_id).is_draft:
        raise VersionPublished()
    question.delete()


@transaction.atomic
def questionnaire_publish(*, user, questionnaire: Questionnaire) -> Questionnaire:
    """Publish a draft: new rounds answer it; rounds that already started keep their version."""
    permissions.require(user, "selfscan.edit_questionnaire")
    questionnaire = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    if not questionnaire.is_draft:
        raise VersionPublished()
    covered = set(questionnaire.questions.values_list("theme_id", flat=True))
    missing = [t.name for t in Theme.objects.exclude(pk__in=covered)]
    if missing:
        raise ValidationError(
            _("Elk thema heeft minstens één vraag nodig. Nog zonder vraag: %(themes)s.")
            % {"themes": ", ".join(missing)}
        )
    questionnaire.status = Questionnaire.Status.PUBLISHED
    questionnaire.published_at = timezone.now()
    questionnaire.published_by = user
    questionnaire.save()
    return questionnaire


# --- settings ------------------------------------------------------------------------------------


def settings_for(organisation: Organisation) -> ScanSettings:
    found = ScanSettings.objects.filter(organisation=organisation).first()
    return found or ScanSettings(organisation=organisation)


@transaction.atomic
def settings_update(
    *, organisation: Organisation, membership: Membership, benchmark_opt_in: bool, expected_revision: int | None = None
) -> ScanSettings:
    permissions.require(membership, "selfscan.manage")
    current, created = ScanSettings.objects.get_or_create(organisation=organisation)
    if not created:
        claim_revision(current, expected_revision)
    if current.benchmark_opt_in != benchmark_opt_in:
        current.benchmark_opt_in = benchmark_opt_in
        current.save()
        audit.record_event(
            instance=current,
            event="selfscan.benchmark_opt_in" if benchmark_opt_in else "selfscan.benchmark_opt_out",
        )
    return current


# --- rounds ----------------------------------------------------------------------------------------


def _check_member(organisation: Organisation, member: Membership | None) -> None:
    if member is None:
        return
    if member.organisation_id != organisation.pk or member.role not in ASSIGNABLE_ROLES:
        raise ValidationError(
            {"member": _("Kies een coördinator of thema-expert van uw gemeente.")}, code="invalid_member"
        )


@transaction.atomic
def round_start(
    *,
    organisation: Organisation,
    membership: Membership,
    title: str,
    due_date: datetime.date | None = None,
    assignments: dict[int, Membership | None] | None = None,
) -> ScanRound:
    """Start a round on the newest published questionnaire: an empty answer for every question."""
    permissions.require(membership, "selfscan.manage")
    questionnaire = current_questionnaire()
    if questionnaire is None:
        raise ValidationError(_("Er is nog geen gepubliceerde vragenlijst. Vraag de landelijke redactie."))
    list(Organisation.objects.select_for_update().filter(pk=organisation.pk).values_list("pk", flat=True))
    if ScanRound.objects.filter(organisation=organisation, status=ScanRound.Status.OPEN).exists():
        raise ValidationError(_("Er loopt al een scanronde. Sluit die eerst af voordat u een nieuwe start."))
    if not (title or "").strip():
        raise ValidationError({"title": _("Geef de ronde een naam.")})
    assignments = assignments or {}
    for member in assignments.values():
        _check_member(organisation, member)
    scan_round = ScanRound(
        organisation=organisation,
        title=title.strip(),
        questionnaire=questionnaire,
        due_date=due_date,
        started_by=membership,
    )
    scan_round.full_clean()
    scan_round.save()
    questions = list(questionnaire.questions.all())
    theme_ids = sorted({q.theme_id for q in questions})
    ThemeAssignment.objects.bulk_create(
        [
            ThemeAssignment(organisation=organisation, scan_round=scan_round, theme_id=t, member=assignments.get(t))
            for t in theme_ids
        ]
    )
    Answer.objects.bulk_create(
        [Answer(organisation=organisation, scan_round=scan_round, question=q) for q in questions]
    )
    audit.record_event(
        instance=scan_round, event="selfscan.round_started", data={"questionnaire": questionnaire.version}
    )
    return scan_round


@transaction.atomic
def assignment_set(
    *, membership: Membership, assignment: ThemeAssignment, member: Membership | None
) -> ThemeAssignment:
    permissions.require(membership, "selfscan.manage")
    _refuse_closed(assignment.scan_round)
    _check_member(membership.organisation, member)
    if assignment.member_id != (member.pk if member else None):
        assignment.member = member
        assignment.save()
    return assignment


@transaction.atomic
def answer_save(
    *,
    membership: Membership,
    answer: Answer,
    level: int | None,
    justification: str = "",
    evidence_url: str = "",
    evidence_file: EvidenceFile | None = None,
    remove_file: bool = False,
    expected_revision: int | None = None,
) -> Answer:
    """Save one answer, also partly (a level without justification, or only a note)."""
    assignment = ThemeAssignment.objects.filter(
        scan_round_id=answer.scan_round_id, theme_id=answer.question.theme_id
    ).first()
    permissions.require(membership, "selfscan.answer", assignment)
    _refuse_closed(answer.scan_round)
    errors = {}
    if level is not None and level not in (1, 2, 3, 4, 5):
        errors["level"] = _("Kies een niveau van 1 tot en met 5.")
    if len(justification or "") > 2000:
        errors["justification"] = _("Houd de onderbouwing kort: hoogstens 2000 tekens.")
    if errors:
        raise ValidationError(errors)
    before = (answer.level, answer.justification, answer.evidence_url, answer.evidence_name)
    after_file = evidence_file.name if evidence_file else ("" if remove_file else answer.evidence_name)
    if before == (level, justification or "", evidence_url or "", after_file) and evidence_file is None:
        return answer  # nothing changed: no new revision, no audit entry
    claim_revision(answer, expected_revision)
    answer.level = level
    answer.justification = justification or ""
    answer.evidence_url = evidence_url or ""
    if evidence_file is not None:
        answer.evidence_name = evidence_file.name
        answer.evidence_type = evidence_file.content_type
        answer.evidence_size = evidence_file.size
        answer.evidence_data = evidence_file.data
    elif remove_file:
        answer.evidence_name = answer.evidence_type = ""
        answer.evidence_size = None
        answer.evidence_data = None
    answer.answered_by = membership
    answer.answered_at = timezone.now()
    answer.full_clean(exclude=["question", "scan_round"])
    answer.save()
    return answer


@transaction.atomic
def round_close(
    *, membership: Membership, scan_round: ScanRound, note: str = "", expected_revision: int | None = None
) -> ScanRound:
    """The coordinator closes the round after review; from then on it is frozen."""
    permissions.require(membership, "selfscan.manage")
    _refuse_closed(scan_round)
    if not scan_round.answers.filter(level__isnull=False).exists():
        raise ValidationError(_("Er is nog geen enkele vraag beantwoord. Een lege ronde kan niet worden afgesloten."))
    claim_revision(scan_round, expected_revision)
    scan_round.status = ScanRound.Status.CLOSED
    scan_round.closed_at = timezone.now()
    scan_round.closed_by = membership
    scan_round.closing_note = note or ""
    scan_round.save()
    audit.record_event(instance=scan_round, event="selfscan.round_closed")
    return scan_round


@transaction.atomic
def round_delete(*, membership: Membership, scan_round: ScanRound) -> None:
    """An open round started by mistake may be removed; a closed round is kept as it is."""
    permissions.require(membership, "selfscan.manage")
    _refuse_closed(scan_round)
    audit.record_event(instance=scan_round, event="selfscan.round_deleted")
    scan_round.delete()


# --- follow-up of weak answers ------------------------------------------------------------------


def _follow_up_text(answer: Answer) -> tuple[str, str]:
    q = answer.question
    title = _("Verbeteren: %(question)s") % {"question": q.text}
    next_level = min((answer.level or 1) + 1, 5)
    description = _(
        "Uit zelfscan '%(round)s' (vraag %(code)s): nu niveau %(level)s. Volgende stap, niveau %(next)s: %(text)s"
    ) % {
        "round": answer.scan_round.title,
        "code": q.code,
        "level": answer.level or "—",
        "next": next_level,
        "text": q.level_text(next_level),
    }
    return title[:200], description


@transaction.atomic
def answer_to_action(*, organisation: Organisation, membership: Membership, answer: Answer):
    """Turn a weak answer into an action in this year's plan (once)."""
    permissions.require(membership, "selfscan.manage")
    if answer.action_id is not None:
        raise ValidationError(_("Voor dit antwoord is al een actie in het jaarplan gemaakt."))
    title, description = _follow_up_text(answer)
    action = action_create(
        organisation=organisation,
        membership=membership,
        year=timezone.localdate().year,
        title=title,
        description=description,
        themes=[answer.question.theme_id],
    )
    Answer.objects.filter(pk=answer.pk).update(action=action)
    answer.action = action
    audit.record_event(instance=answer, event="selfscan.action_created", data={"action": action.pk})
    return action


@transaction.atomic
def answer_to_measure(*, organisation: Organisation, membership: Membership, answer: Answer):
    """Turn a weak answer into a planned measure in the register (once)."""
    permissions.require(membership, "selfscan.manage")
    if answer.measure_id is not None:
        raise ValidationError(_("Voor dit antwoord is al een maatregel gemaakt."))
    title, description = _follow_up_text(answer)
    # The question's BIO2 government measures go along, so the statement of applicability shows the new measure.
    bio2 = list(answer.question.bio2_measures.filter(status="measure"))
    measure = measure_save(
        organisation=organisation,
        membership=membership,
        title=title,
        description=description,
        themes=[answer.question.theme_id],
        bio2_measures=bio2,
    )
    Answer.objects.filter(pk=answer.pk).update(measure=measure)
    answer.measure = measure
    audit.record_event(instance=answer, event="selfscan.measure_created", data={"measure": measure.pk})
    return measure
