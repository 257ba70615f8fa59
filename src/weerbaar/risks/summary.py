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

from collections import defaultdict

from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from weerbaar.core.models import Organisation
from weerbaar.knowledge.models import SecurityGoal, Theme

from .models import Measure, OverlapSummary, Risk

_IDS_PER_QUERY = 900  # below SQLite's historic limit of 999 bound parameters


def _chunks(ids: list[int]):
    for i in range(0, len(ids), _IDS_PER_QUERY):
        yield ids[i : i + _IDS_PER_QUERY]


# Groups kept per municipality: the integral view shows 25; callers asking for more compute live.
KEPT_GROUPS = 100


# --- The groups, found by the database ----------------------------------------------------


def _overlap_sql() -> tuple[str, str]:
    """The pairs of measures behind overlaps, in SQL: both reduce one risk with one goal, no theme shared.

    A pair qualifies a (risk, goal) group; a group is reported with all its measures. Table
    names come from the models, so the text runs on SQLite and PostgreSQL alike.
    """
    mr = connection.ops.quote_name(Measure.risks.through._meta.db_table)
    mg = connection.ops.quote_name(Measure.goals.through._meta.db_table)
    mt = connection.ops.quote_name(Measure.themes.through._meta.db_table)
    m = connection.ops.quote_name(Measure._meta.db_table)
    r = connection.ops.quote_name(Risk._meta.db_table)
    # Driven from the municipality's risks, measures checked by primary key: SQLite's planner
    # otherwise pairs every measure of the municipality with every other before joining.
    groups = f"""
        SELECT DISTINCT ra.risk_id AS risk_id, ga.securitygoal_id AS goal_id
        FROM {r} rr
        JOIN {mr} ra ON ra.risk_id = rr.id
        JOIN {mr} rb ON rb.risk_id = ra.risk_id AND rb.measure_id > ra.measure_id
        JOIN {mg} ga ON ga.measure_id = ra.measure_id
        JOIN {mg} gb ON gb.measure_id = rb.measure_id AND gb.securitygoal_id = ga.securitygoal_id
        WHERE rr.organisation_id = %s
        AND EXISTS (SELECT 1 FROM {m} ma WHERE ma.id = ra.measure_id AND ma.organisation_id = %s)
        AND EXISTS (SELECT 1 FROM {m} mb WHERE mb.id = rb.measure_id AND mb.organisation_id = %s)
        AND NOT EXISTS (
            SELECT 1 FROM {mt} ta JOIN {mt} tb ON tb.theme_id = ta.theme_id
            WHERE ta.measure_id = ra.measure_id AND tb.measure_id = rb.measure_id
        )
        ORDER BY 1, 2
    """  # noqa: S608 - only table names from the models are interpolated
    members = f"""
        SELECT r.risk_id, g.securitygoal_id, r.measure_id
        FROM {mr} r
        JOIN {m} mm ON mm.id = r.measure_id AND mm.organisation_id = %s
        JOIN {mg} g ON g.measure_id = r.measure_id
    """  # noqa: S608 - only table names from the models are interpolated
    return groups, members


def compute_groups(*, organisation_id: int, limit: int) -> tuple[list[list], int]:
    """The first ``limit`` overlap groups ``[risk_id, goal_id, [measure_ids]]`` and their total.

    The groups are found by the database (a self-join of the link tables), not by walking
    every measure here: a few queries whatever the size.
    """
    groups_sql, members_sql = _overlap_sql()
    org = organisation_id
    with connection.cursor() as cursor:
        # All groups as pairs of ids (a few thousand at full size): the total and the first
        # ``limit`` from one execution of the self-join, which is the expensive part.
        cursor.execute(groups_sql, [org, org, org])
        every = cursor.fetchall()
        total = len(every)
        chosen = [(r, g) for r, g in every[:limit]]
        if not chosen:
            return [], total
        members: dict[tuple[int, int], list[int]] = defaultdict(list)
        wanted = set(chosen)
        for chunk in _chunks(sorted({r for r, _ in chosen})):
            placeholders = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"{members_sql} WHERE r.risk_id IN ({placeholders})", [org, *chunk])  # noqa: S608
            for r, g, m in cursor.fetchall():
                if (r, g) in wanted:
                    members[(r, g)].append(m)
    return [[r, g, sorted(members[(r, g)])] for r, g in chosen], total


# --- The summary -----------------------------------------------------------------------------


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
    row = row or _row(organisation_id)
    generation = row.generation  # read before the data (see the module docstring)
    groups, total = compute_groups(organisation_id=organisation_id, limit=KEPT_GROUPS)
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
