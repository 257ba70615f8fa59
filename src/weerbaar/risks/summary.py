"""The per-municipality overlap summary: marked out of date by every write, rebuilt on the next read.

Writers raise :attr:`OverlapSummary.generation` inside their own transaction: the signal
handlers below catch every change of a measure's risks, goals or themes made through the ORM
(the services' ``.set()``, ``.remove()``, ``.clear()``, deleting a measure or risk, deleting a
theme or goal from the catalogue); bulk writes that send no signals (the Excel import, the
test-data generator) call :func:`invalidate` themselves.

A reader takes the summary when ``built_generation == generation``. Otherwise it reads the
generation first, computes the groups, and stores them as built for *that* generation: a write
that commits meanwhile has raised the generation again, so the stored groups count as out of
date and the next read rebuilds them. Stale groups are never taken for fresh ones, on SQLite
and on PostgreSQL alike.

``manage.py rebuild_overlaps`` rebuilds every municipality's summary (after a restore, say);
it is never required, since a missing summary is built on the first read.
"""

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from weerbaar.core.models import Organisation
from weerbaar.knowledge.models import SecurityGoal, Theme

from .models import Measure, OverlapSummary, Risk

# Groups kept per municipality: the integral view shows 25; callers asking for more compute live.
KEPT_GROUPS = 100


def invalidate(organisation_id: int) -> None:
    """Mark the municipality's summary out of date, in the caller's transaction.

    Every municipality gets its row when it is created (and the migration gave existing ones
    theirs), so a writer only updates; a row that is missing all the same is built from scratch
    on the next read.
    """
    OverlapSummary.objects.filter(organisation_id=organisation_id).update(generation=F("generation") + 1)


def invalidate_all() -> None:
    """A catalogue change (a theme or goal deleted) touches every municipality."""
    OverlapSummary.objects.update(generation=F("generation") + 1)


def _row(organisation_id: int) -> OverlapSummary:
    row = OverlapSummary.objects.filter(organisation_id=organisation_id).first()
    if row is not None:
        return row
    try:
        with transaction.atomic():
            return OverlapSummary.objects.create(organisation_id=organisation_id)
    except IntegrityError:  # a writer or another reader created it meanwhile
        return OverlapSummary.objects.get(organisation_id=organisation_id)


def rebuild(organisation_id: int, row: OverlapSummary | None = None) -> tuple[list, int]:
    """Compute the groups as of the current generation and store them; returns (groups, total)."""
    from .selectors import overlap_groups

    row = row or _row(organisation_id)
    generation = row.generation  # read before the data (see the module docstring)
    groups, total = overlap_groups(organisation_id=organisation_id, limit=KEPT_GROUPS)
    OverlapSummary.objects.filter(organisation_id=organisation_id).filter(
        Q(built_generation__isnull=True) | Q(built_generation__lt=generation)
    ).update(built_generation=generation, groups=groups, total=total, built_at=timezone.now())
    return groups, total


def overlap_groups(organisation_id: int) -> tuple[list, int]:
    """The first :data:`KEPT_GROUPS` groups ``[risk_id, goal_id, [measure_ids]]`` and the total."""
    row = _row(organisation_id)
    if row.built_generation == row.generation:
        return row.groups, row.total
    return rebuild(organisation_id, row)


# --- Signal handlers (connected in RisksConfig.ready) ---------------------------------------


def _links_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if isinstance(instance, (Measure, Risk)):
        invalidate(instance.organisation_id)
    elif action == "post_clear" or not pk_set:
        invalidate_all()
    else:  # from a theme's or goal's side: the measures named in pk_set
        for org_id in set(Measure.objects.filter(pk__in=pk_set).values_list("organisation_id", flat=True)):
            invalidate(org_id)


def _row_deleted(sender, instance, **kwargs):
    invalidate(instance.organisation_id)


def _catalogue_deleted(sender, instance, **kwargs):
    invalidate_all()


def _organisation_created(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        OverlapSummary.objects.get_or_create(organisation=instance)


def connect() -> None:
    post_save.connect(_organisation_created, sender=Organisation, dispatch_uid="overlap_organisation_created")
    for through in (Measure.risks.through, Measure.goals.through, Measure.themes.through):
        m2m_changed.connect(_links_changed, sender=through, dispatch_uid=f"overlap_links_{through.__name__}")
    for model in (Measure, Risk):
        post_delete.connect(_row_deleted, sender=model, dispatch_uid=f"overlap_deleted_{model.__name__}")
    for model in (Theme, SecurityGoal):
        post_delete.connect(_catalogue_deleted, sender=model, dispatch_uid=f"overlap_catalogue_{model.__name__}")
