"""Keeps the counted pattern figures (rode draden) honest and warm.

The patterns page is built from *year counts* (``counts.YearCounts``): per municipality, per
local year and per class of incidents — ``"p"`` the ordinary ones, which every member sees, and
``"c"`` the confidential ones, which only the coordinator sees in full (other members add the
confidential incidents they handle, counted apart). Counts hold ids, never names: names are read
fresh when the page is built, so renaming an asset, risk, measure, theme or type needs nothing here.

Each (municipality, year, class) has a version in the cache, and the cache key of its counts
holds that version with the municipality's own version. A write to an incident or its links gives
the years and classes it touches (before and after the change) a new version: at once (the
database cache then rolls back with the transaction) and again after the commit (a shared cache
such as Redis is not part of the transaction: a page read in between must not keep figures of
before the commit). Right after the commit the new counts of this and last year are made again
for both shared classes, in the writer's request, so the next reader of the patterns page or the
yearly report does not count 20,000 incidents. Writes that bypass the signals (``bulk_create``)
call :func:`data_changed` with only the municipality: every year and class goes.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.utils import timezone
from django_scopes import scopes_disabled

from .counts import CLASSES, bump, refresh_counts

logger = logging.getLogger(__name__)


def _class(confidential: bool) -> str:
    return "c" if confidential else "p"


def local_year(moment) -> int:
    return timezone.localtime(moment).year


def _pending() -> set:
    conn = transaction.get_connection()
    if not hasattr(conn, "_incident_counts_pending"):
        conn._incident_counts_pending = set()
    return conn._incident_counts_pending


def _flush() -> None:
    """After the commit: new versions, then the counts of this and last year made again."""
    pending = _pending()
    todo = sorted(pending, key=str)
    pending.clear()
    for organisation_id, year, cls in todo:
        bump(organisation_id, year, cls)
    recent = {timezone.localdate().year, timezone.localdate().year - 1}
    warm = set()
    for organisation_id, year, cls in todo:
        if year is None:
            warm |= {(organisation_id, y, c) for y in recent for c in CLASSES}
        elif year in recent:
            warm.add((organisation_id, year, cls))
    if warm:
        try:
            with scopes_disabled():
                refresh_counts(sorted(warm))
        except Exception:  # the write is committed; the next reader counts for itself
            logger.exception("Counting incident patterns after a write failed")


def data_changed(organisation_id: int | None, year: int | None = None, confidential: bool | None = None) -> None:
    """The counts of ``year`` (both classes if ``confidential`` is None) are out of date; without
    a year every count of the municipality is."""
    if organisation_id is None:
        return
    if year is None:
        entries = {(organisation_id, None, None)}
    else:
        classes = CLASSES if confidential is None else (_class(confidential),)
        entries = {(organisation_id, year, c) for c in classes}
    for entry in entries:
        bump(*entry)
    pending = _pending()
    pending |= entries
    transaction.on_commit(_flush)  # the first callback flushes all; the others find nothing


def _incident_changed(instance, *, before=None):
    if instance.occurred_at is None:
        return data_changed(instance.organisation_id)
    data_changed(instance.organisation_id, local_year(instance.occurred_at), instance.confidential)
    if before is not None:
        data_changed(instance.organisation_id, local_year(before[0]), before[1])


def _before_save(sender, instance, raw=False, **kwargs):
    instance._pattern_before = None
    if instance.pk and not raw:
        with scopes_disabled():
            instance._pattern_before = (
                sender._base_manager.filter(pk=instance.pk).values_list("occurred_at", "confidential").first()
            )


def _saved(sender, instance, raw=False, **kwargs):
    if not raw:
        _incident_changed(instance, before=getattr(instance, "_pattern_before", None))


def _deleted(sender, instance, **kwargs):
    _incident_changed(instance)


def _links_changed(sender, instance, action, reverse, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    from .models import Incident

    if isinstance(instance, Incident) and not reverse:
        _incident_changed(instance)
    else:  # e.g. asset.incidents.add(...): which years is not known here
        data_changed(getattr(instance, "organisation_id", None))


def connect() -> None:
    from .models import Incident

    uid = "incidents.patterns.incident"
    pre_save.connect(_before_save, sender=Incident, dispatch_uid=uid + ".before")
    post_save.connect(_saved, sender=Incident, dispatch_uid=uid + ".save")
    post_delete.connect(_deleted, sender=Incident, dispatch_uid=uid + ".delete")
    for field in ("themes", "assets", "handlers", "materialised_risks", "failed_measures", "working_measures"):
        through = getattr(Incident, field).through
        m2m_changed.connect(_links_changed, sender=through, dispatch_uid=f"incidents.patterns.{field}")
