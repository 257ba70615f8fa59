"""Register rows with a reference and a revision: the write half every register shares.

A register row (a risk, an action, an incident) carries a reference the municipality reads
(R-001, A-001) and a ``revision`` that counts its saves. The apps' services validate a row and
hand it over as a :class:`Prepared`; :func:`write_prepared` writes it safely when several
people work at once:

- optimistic locking: of two saves that started from the same revision exactly one wins, the
  other raises :class:`StaleRevision` (the generic edit view shows both versions);
- references: an empty reference gets the next free number; two people adding a row at once
  take turns on the municipality's row, so the second one moves on to the next number instead
  of failing on the unique constraint.

An app declares its numbering by subclassing :class:`ReferenceAllocator` with ``prefixes``.
"""

from __future__ import annotations

import dataclasses
import re
from typing import ClassVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from .models import Organisation


class StaleRevision(ValidationError):
    """Someone else saved the row since the editor opened it; nothing was written.

    ``current`` is the row as it is now saved (its ``revision`` is the one to send to overwrite
    knowingly).
    """

    def __init__(self, current):
        self.current = current
        super().__init__(
            _(
                "Iemand anders heeft dit opgeslagen nadat u het opende. Uw invoer is niet opgeslagen maar staat "
                "nog in het formulier. Bekijk de verschillen en sla opnieuw op als u uw versie wilt bewaren."
            ),
            code="stale",
        )


# --- references ----------------------------------------------------------------------------


class ReferenceAllocator:
    """Hands out the next free reference (R-001, A-001) for a model in one municipality.

    Subclass it per app with ``prefixes`` mapping each model to its prefix.
    """

    prefixes: ClassVar[dict[type, str]] = {}

    def __init__(self, model, organisation: Organisation | int):
        self.prefix = self.prefixes[model]
        pattern = re.compile(re.escape(self.prefix) + r"(\d+)$")
        refs = model.objects.filter(organisation=organisation, reference__startswith=self.prefix).values_list(
            "reference", flat=True
        )
        self.last = max((int(m.group(1)) for r in refs if (m := pattern.match(r))), default=0)

    def next(self, taken: set[str] | None = None) -> str:
        """The next free reference; references in ``taken`` (chosen earlier in a batch) are skipped."""
        while True:
            self.last += 1
            reference = f"{self.prefix}{self.last:03d}"
            if not taken or reference not in taken:
                return reference


def reference_in_use(reference: str) -> ValidationError:
    """The Dutch "this reference is taken" error, keyed by the ``reference`` field."""
    return ValidationError(
        {"reference": ValidationError(_("Het kenmerk %(ref)s is al in gebruik.") % {"ref": reference}, code="exists")}
    )


def check_reference(instance, reference: str, taken: set[str] | None = None) -> None:
    """Refuse a reference another row of the municipality (or of the batch in ``taken``) has."""
    if not reference:
        return
    if taken is not None and reference in taken:
        raise reference_in_use(reference)
    clash = type(instance).objects.filter(organisation_id=instance.organisation_id, reference=reference)
    if instance.pk:
        clash = clash.exclude(pk=instance.pk)
    if clash.exists():
        raise reference_in_use(reference)


def assign_reference(
    instance,
    reference: str,
    allocator_class: type[ReferenceAllocator],
    allocator: ReferenceAllocator | None = None,
    taken: set[str] | None = None,
) -> None:
    """Check and set the instance's reference (allocating the next one when empty); mark it taken.

    An allocated reference may still move on at write time (see :func:`write_prepared`).
    """
    reference = (reference or "").strip() or instance.reference
    check_reference(instance, reference, taken)
    model = type(instance)
    instance.reference = reference or (allocator or allocator_class(model, instance.organisation_id)).next(taken)
    instance._reference_allocator = None if reference else allocator_class
    if taken is not None:
        taken.add(instance.reference)


def _reallocate_if_taken(instance) -> None:
    """Two people adding a row at once were both offered the next number (R-030).

    The municipality's row is locked (PostgreSQL; SQLite writers already run one at a time) so
    writers of new rows take turns; whoever comes second sees the first one's row and moves on
    to the next free number instead of failing on the unique constraint.
    """
    model = type(instance)
    lock_organisation(instance.organisation_id)
    if model.objects.filter(organisation_id=instance.organisation_id, reference=instance.reference).exists():
        instance.reference = instance._reference_allocator(model, instance.organisation_id).next()


def lock_organisation(organisation: Organisation | int) -> None:
    """Let writers of new rows in one municipality take turns (a row lock on PostgreSQL)."""
    pk = getattr(organisation, "pk", organisation)
    list(Organisation.objects.select_for_update().filter(pk=pk).values_list("pk", flat=True))


# --- optimistic locking and writing ----------------------------------------------------------


def check_revision(instance, expected_revision: int | None) -> None:
    """Early, read-only check: refuse when the row in hand is already newer than the editor's."""
    if expected_revision is not None and instance is not None and instance.pk:
        current = type(instance).objects.get(pk=instance.pk)
        if current.revision != expected_revision:
            raise StaleRevision(current)


def claim_revision(instance, expected_revision: int | None) -> None:
    """Claim the next revision of a saved row atomically, before writing it.

    Of two saves that started from the same revision, exactly one wins; the other raises
    :class:`StaleRevision`. ``None`` skips the check (commands, demo data) but still counts up.
    """
    if not instance.pk:
        instance.revision = 0
        return
    model = type(instance)
    rows = model.objects.filter(pk=instance.pk)
    if expected_revision is not None:
        rows = rows.filter(revision=expected_revision)
    if not rows.update(revision=F("revision") + 1):
        raise StaleRevision(model.objects.get(pk=instance.pk))
    instance.revision = model.objects.filter(pk=instance.pk).values_list("revision", flat=True).get()


@dataclasses.dataclass
class Prepared:
    """A checked, not yet written register row: the changed model instance and its many-to-many ids.

    ``m2m`` maps a many-to-many field name to the sorted ids to set after the instance is saved;
    ``expected_revision`` is the revision the editor started from (None: no check).
    """

    instance: object
    m2m: dict[str, list[int]] = dataclasses.field(default_factory=dict)
    expected_revision: int | None = None


def write_prepared(prepared: Prepared):
    """Write a checked row: claim the revision, save (moving to the next free reference if
    someone took the allocated one), then set the links.

    Call it inside a transaction (the apps' ``*_save`` functions do).
    """
    instance = prepared.instance
    claim_revision(instance, prepared.expected_revision)
    if not instance.pk and getattr(instance, "_reference_allocator", None):
        _reallocate_if_taken(instance)
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError:
        # Another writer stored the same reference between the check and this write.
        raise reference_in_use(instance.reference)
    for name, ids in prepared.m2m.items():
        getattr(instance, name).set(ids)
    return instance
