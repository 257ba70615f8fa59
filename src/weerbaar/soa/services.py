"""Writes of the statement of applicability: one decision, or a chapter at once."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from weerbaar.core import audit, permissions
from weerbaar.core.models import Membership, Organisation
from weerbaar.core.registers import StaleRevision
from weerbaar.knowledge.models import Bio2Measure

from .models import REASON_MAX_LENGTH, Applicability

# ``expected_revision`` for a decision the editor saw as "nog niet beoordeeld": saving it again
# after someone else decided meanwhile is a stale edit, not a silent overwrite.
NEW = -1


def _government_measure(bio2: Bio2Measure) -> None:
    if bio2.status != Bio2Measure.Status.MEASURE:
        raise ValidationError(
            {
                "bio2": _("BIO2-nummer %(n)s is geen overheidsmaatregel; het hoort niet in de verklaring.")
                % {"n": bio2.number}
            }
        )


def _check(decision: str, reason: str) -> str:
    reason = (reason or "").strip()
    errors = {}
    if decision not in Applicability.Decision.values:
        errors["decision"] = _("Kies of de maatregel van toepassing is.")
    elif decision == Applicability.Decision.NOT_APPLICABLE and not reason:
        errors["reason"] = _(
            "Leg uit waarom deze maatregel niet van toepassing is, bijvoorbeeld met de uitkomst van een risicoanalyse."
        )
    if len(reason) > REASON_MAX_LENGTH:
        errors["reason"] = _("De reden is te lang (%(n)s tekens); het maximum is %(max)s.") % {
            "n": len(reason),
            "max": REASON_MAX_LENGTH,
        }
    if errors:
        raise ValidationError(errors)
    return reason


@transaction.atomic
def applicability_set(
    *,
    organisation: Organisation,
    membership: Membership,
    bio2: Bio2Measure,
    decision: str,
    reason: str = "",
    expected_revision: int | None = None,
) -> Applicability:
    """Record whether a BIO2 government measure applies, and why.

    ``expected_revision`` is the revision the editor saw (:data:`NEW` when there was no decision
    yet); another save in between raises :class:`~weerbaar.core.registers.StaleRevision`.
    ``None`` skips the check (demo data, commands).
    """
    permissions.require(membership, "soa.edit")
    _government_measure(bio2)
    reason = _check(decision, reason)
    row, created = Applicability.objects.select_for_update().get_or_create(
        organisation=organisation,
        bio2=bio2,
        defaults={"decision": decision, "reason": reason, "updated_by": membership.user},
    )
    if created:
        return row
    if expected_revision is not None and row.revision != expected_revision:
        raise StaleRevision(row)
    if row.decision != decision or row.reason != reason:
        row.decision, row.reason, row.updated_by = decision, reason, membership.user
        row.revision = F("revision") + 1
        row.save()
        row.refresh_from_db()
    return row


@transaction.atomic
def applicability_clear(*, membership: Membership, applicability: Applicability) -> None:
    """Back to "nog niet beoordeeld"."""
    permissions.require(membership, "soa.edit")
    applicability.delete()


@transaction.atomic
def chapter_mark_applicable(*, organisation: Organisation, membership: Membership, chapter: str) -> int:
    """Every government measure of a chapter without a decision yet becomes "van toepassing".

    The usual start of a statement: most measures apply to a municipality; the exceptions are
    then decided one by one, with their reasons. Returns how many were marked.
    """
    permissions.require(membership, "soa.edit")
    decided = Applicability.objects.filter(organisation=organisation).values("bio2_id")
    open_ = Bio2Measure.objects.filter(status=Bio2Measure.Status.MEASURE, chapter=chapter).exclude(pk__in=decided)
    rows = [
        Applicability(
            organisation=organisation,
            bio2=bio2,
            decision=Applicability.Decision.APPLICABLE,
            updated_by=membership.user,
        )
        for bio2 in open_
    ]
    Applicability.objects.bulk_create(rows, ignore_conflicts=True)
    created = list(
        Applicability.objects.filter(organisation=organisation, bio2__in=[r.bio2 for r in rows]).select_related("bio2")
    )
    audit.record_bulk((row, None, audit.snapshot(row)) for row in created)
    return len(rows)
