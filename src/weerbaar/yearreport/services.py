"""Every write to the yearly report: one function per business action.

Rules that live here and nowhere else (who may act is asked of ``permissions.py``):
- one open version (draft or submitted) per year; a frozen year gets a new version as a draft;
- only a draft changes; foreword and conclusions are saved with optimistic locking;
- submission needs a foreword and conclusions, and freezes the chapters (``content``) so the
  board decides on exactly what it read; sending it back to draft unfreezes them;
- adoption needs a decision date (not in the future, not before the reported year, not before
  the previous adopted report's decision) and a reference; it renders and stores the Word and
  PDF documents from the frozen chapters and supersedes an earlier adopted version of that year.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from weerbaar.core import audit, permissions
from weerbaar.core.models import Membership, Organisation
from weerbaar.core.registers import claim_revision

from . import selectors
from .models import FIRST_YEAR, TEXT_MAX_LENGTH, YearReport


class OpenVersionExists(ValidationError):
    def __init__(self, existing: YearReport):
        self.existing = existing
        super().__init__(
            {
                "year": ValidationError(
                    _("Voor %(year)s is er al een jaarverslag in voorbereiding (versie %(n)s).")
                    % {"year": existing.year, "n": existing.number},
                    code="exists",
                )
            }
        )


def _locked(report: YearReport) -> YearReport:
    return YearReport.objects.select_for_update().select_related("organisation").get(pk=report.pk)


def latest_year() -> int:
    """A report covers a year that has begun: the running year at most."""
    return timezone.localdate().year


def _check_year(year) -> int:
    if not isinstance(year, int) or isinstance(year, bool) or not FIRST_YEAR <= year <= latest_year():
        raise ValidationError(
            {
                "year": _("Kies een jaar van %(first)s tot en met %(last)s.")
                % {"first": FIRST_YEAR, "last": latest_year()}
            },
            code="year",
        )
    return year


@transaction.atomic
def report_build(*, organisation: Organisation, membership: Membership, year: int) -> YearReport:
    """Start the report for ``year``: version 1, or the next version when the earlier ones are frozen.

    Foreword and conclusions of the newest earlier version of that year are carried over.
    """
    permissions.require(membership, "yearreport.edit")
    year = _check_year(year)
    # Serialise builds of one municipality: two clicks must not make two open versions.
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    versions = YearReport.objects.filter(organisation=organisation, year=year)
    existing = versions.filter(status__in=(YearReport.Status.DRAFT, YearReport.Status.SUBMITTED)).first()
    if existing is not None:
        raise OpenVersionExists(existing)
    previous = versions.order_by("-number").first()
    report = YearReport.objects.create(
        organisation=organisation,
        year=year,
        number=(versions.aggregate(n=Max("number"))["n"] or 0) + 1,
        foreword=previous.foreword if previous else "",
        conclusions=previous.conclusions if previous else "",
        created_by=membership.user,
        updated_by=membership.user,
    )
    audit.record_event(instance=report, event="yearreport_built", data={"year": year, "number": report.number})
    return report


@transaction.atomic
def texts_save(
    *,
    report: YearReport,
    membership: Membership,
    foreword: str,
    conclusions: str,
    expected_revision: int | None = None,
) -> YearReport:
    permissions.require(membership, "yearreport.edit")
    current = _locked(report)
    if not current.is_draft:
        raise ValidationError(
            _("Dit jaarverslag is %(status)s; alleen een concept kan worden gewijzigd.")
            % {"status": current.get_status_display()},
            code="frozen",
        )
    claim_revision(current, expected_revision)  # StaleRevision when someone saved in between
    errors = {}
    for name, value in (("foreword", foreword), ("conclusions", conclusions)):
        if len(value or "") > TEXT_MAX_LENGTH:
            errors[name] = _("Deze tekst is te lang: ten hoogste %(n)s tekens.") % {"n": TEXT_MAX_LENGTH}
    if errors:
        raise ValidationError(errors)
    current.foreword = (foreword or "").replace("\r\n", "\n").strip()
    current.conclusions = (conclusions or "").replace("\r\n", "\n").strip()
    current.updated_by = membership.user
    current.save()
    return current


def submit_problems(report: YearReport) -> list[tuple[str, str]]:
    """What stands in the way of submitting, as (field, message)."""
    problems = []
    if not report.foreword.strip():
        problems.append(("foreword", _("Schrijf een voorwoord.")))
    if not report.conclusions.strip():
        problems.append(("conclusions", _("Schrijf de conclusies en aanbevelingen.")))
    return problems


@transaction.atomic
def report_submit(*, report: YearReport, membership: Membership) -> YearReport:
    permissions.require(membership, "yearreport.edit")
    report = _locked(report)
    if not report.is_draft:
        raise ValidationError(_("Alleen een concept kan ter besluitvorming worden ingediend."), code="status")
    problems = submit_problems(report)
    if problems:
        raise ValidationError(dict(problems), code="incomplete")
    report.content = selectors.build_chapters(report.organisation, report.year)
    report.frozen_at = timezone.now()
    report.status = YearReport.Status.SUBMITTED
    report.submitted_at = report.frozen_at
    report.submitted_by = membership.user
    report.save()
    audit.record_event(
        instance=report,
        event="yearreport_submitted",
        data={"year": report.year, "number": report.number, "chapters": [c["title"] for c in report.content]},
    )
    return report


@transaction.atomic
def report_withdraw(*, report: YearReport, membership: Membership) -> YearReport:
    """Back to draft: the coordinator takes it back, or the board sends it back for changes."""
    permissions.require(membership, "yearreport.withdraw")
    report = _locked(report)
    if report.status != YearReport.Status.SUBMITTED:
        raise ValidationError(_("Alleen een jaarverslag dat ter besluitvorming ligt, kan terug naar concept."))
    report.status = YearReport.Status.DRAFT
    report.content = None
    report.frozen_at = None
    report.submitted_at = None
    report.submitted_by = None
    report.save()
    audit.record_event(instance=report, event="yearreport_withdrawn", data={"number": report.number})
    return report


def previous_decision(report: YearReport) -> YearReport | None:
    """The latest adopted report of this municipality before this one (any year)."""
    return (
        YearReport.objects.filter(
            organisation_id=report.organisation_id,
            status__in=(YearReport.Status.ADOPTED, YearReport.Status.SUPERSEDED),
            adopted_on__isnull=False,
        )
        .exclude(pk=report.pk)
        .order_by("-adopted_on", "-pk")
        .first()
    )


@transaction.atomic
def report_adopt(
    *,
    report: YearReport,
    membership: Membership,
    adopted_on: datetime.date | None,
    decision_reference: str,
    adopted_by_body: str,
) -> YearReport:
    from . import documents

    permissions.require(membership, "yearreport.adopt")
    report = _locked(report)
    if report.status != YearReport.Status.SUBMITTED:
        raise ValidationError(_("Alleen een jaarverslag dat ter besluitvorming ligt, kan worden vastgesteld."))
    decision_reference = (decision_reference or "").strip()
    adopted_by_body = (adopted_by_body or "").strip()
    errors: dict[str, str] = {}
    if adopted_on is None:
        errors["adopted_on"] = _("Vul de datum van het besluit in.")
    elif adopted_on > timezone.localdate():
        errors["adopted_on"] = _("De datum van het besluit ligt in de toekomst.")
    elif adopted_on < datetime.date(report.year, 1, 1):
        errors["adopted_on"] = _("Het besluit kan niet vallen vóór het begin van het verslagjaar %(year)s.") % {
            "year": report.year
        }
    else:
        previous = previous_decision(report)
        if previous is not None and adopted_on < previous.adopted_on:
            errors["adopted_on"] = _(
                "Het besluit kan niet vallen vóór dat over het vorige vastgestelde jaarverslag (%(name)s, %(date)s)."
            ) % {"name": previous, "date": date_format(previous.adopted_on, "j F Y")}
    if not decision_reference:
        errors["decision_reference"] = _("Vul het kenmerk van het besluit in.")
    elif len(decision_reference) > 100:
        errors["decision_reference"] = _("Het kenmerk is te lang: ten hoogste 100 tekens.")
    if not adopted_by_body:
        errors["adopted_by_body"] = _("Vul in wie het jaarverslag heeft vastgesteld.")
    elif len(adopted_by_body) > 200:
        errors["adopted_by_body"] = _("Deze naam is te lang: ten hoogste 200 tekens.")
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    for earlier in YearReport.objects.select_for_update().filter(
        organisation_id=report.organisation_id, year=report.year, status=YearReport.Status.ADOPTED
    ):
        earlier.status = YearReport.Status.SUPERSEDED
        earlier.superseded_at = now
        earlier.save()
        audit.record_event(instance=earlier, event="yearreport_superseded", data={"by": report.number})
    report.status = YearReport.Status.ADOPTED
    report.adopted_on = adopted_on
    report.decision_reference = decision_reference
    report.adopted_by_body = adopted_by_body
    report.adoption_recorded_by = membership.user
    if report.content is None:  # submitted before freezing existed; freeze now
        report.content = selectors.build_chapters(report.organisation, report.year)
        report.frozen_at = now
    # The documents as adopted: the frozen chapters with the decision on the title page.
    report.word = documents.render_word(report, report.content)
    report.pdf = documents.render_pdf(report, report.content)
    report.save()
    audit.record_event(
        instance=report,
        event="yearreport_adopted",
        data={
            "year": report.year,
            "number": report.number,
            "adopted_on": adopted_on.isoformat(),
            "reference": decision_reference,
        },
    )
    return report


@transaction.atomic
def new_version(*, report: YearReport, membership: Membership) -> YearReport:
    """A new draft for the same year after an adopted (or superseded) version."""
    permissions.require(membership, "yearreport.edit")
    if not report.is_frozen:
        raise ValidationError(_("Een nieuwe versie begint u vanaf een vastgesteld jaarverslag."))
    return report_build(organisation=report.organisation, membership=membership, year=report.year)
