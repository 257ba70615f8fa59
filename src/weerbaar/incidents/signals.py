"""Keeps the cached pattern figures (rode draden) honest: any write that can change a count or a
name on the patterns page gives the municipality's incident data a new version, and the cache
key holds that version (see ``selectors.member_patterns``).

Writes to incidents, their links, own types, and the assets, risks and measures named in the
figures change the municipality's version; the national themes and catalogue types change the
version of every municipality. The version changes at once (the database cache then rolls back
with the transaction) and again after the commit (a shared cache such as Redis is not part of
the transaction: a page read in between must not keep figures of before the commit).
"""

from __future__ import annotations

import uuid

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

VERSION_KEY = "incidents:data-version:{}"
GLOBAL = "all"


def data_version(organisation_id: int) -> str:
    """The current version of this municipality's incident data (and of the national content)."""
    keys = [VERSION_KEY.format(organisation_id), VERSION_KEY.format(GLOBAL)]
    found = cache.get_many(keys)
    missing = [k for k in keys if k not in found]
    for key in missing:
        cache.add(key, uuid.uuid4().hex, None)
    if missing:
        found = cache.get_many(keys)
    return "-".join(str(found.get(k, "")) for k in keys)


def data_changed(organisation_id: int | str | None) -> None:
    key = VERSION_KEY.format(GLOBAL if organisation_id is None else organisation_id)

    def bump():
        cache.set(key, uuid.uuid4().hex, None)

    bump()
    transaction.on_commit(bump)


def _changed(sender, instance, **kwargs):
    data_changed(getattr(instance, "organisation_id", None))


def _links_changed(sender, instance, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        data_changed(getattr(instance, "organisation_id", None))


def connect() -> None:
    from weerbaar.knowledge.models import Theme
    from weerbaar.risks.models import Asset, Measure, Risk

    from .models import Incident, IncidentType, LocalIncidentType

    for model in (Incident, LocalIncidentType, IncidentType, Theme, Asset, Risk, Measure):
        uid = f"incidents.patterns.{model._meta.label_lower}"
        post_save.connect(_changed, sender=model, dispatch_uid=uid + ".save")
        post_delete.connect(_changed, sender=model, dispatch_uid=uid + ".delete")
    for field in ("themes", "assets", "handlers", "materialised_risks", "failed_measures", "working_measures"):
        through = getattr(Incident, field).through
        m2m_changed.connect(_links_changed, sender=through, dispatch_uid=f"incidents.patterns.{field}")
