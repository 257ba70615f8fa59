"""The audit trail: every change to municipal data is recorded with who, when, before and after.

Changes are caught at the model layer (signals), so no service, command or API endpoint can
forget them; services add named business events with :func:`record_event`. Who acted comes
from a context variable that the web middleware, the API middleware and commands set.
"""

import contextlib
import datetime
import decimal
import uuid
from contextvars import ContextVar
from dataclasses import dataclass

from django.db import models
from django.db.models.fields.files import FieldFile
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from .models import AuditEntry, Organisation, OrganisationOwned


@dataclass(frozen=True)
class Actor:
    user: object | None
    request_id: str = ""
    via: str = "command"


_actor: ContextVar[Actor | None] = ContextVar("weerbaar_audit_actor", default=None)


@contextlib.contextmanager
def acting_as(user, *, via: str = "command", request_id: str | None = None):
    token = _actor.set(Actor(user=user, request_id=request_id or str(uuid.uuid4()), via=via))
    try:
        yield
    finally:
        _actor.reset(token)


def current_actor() -> Actor:
    return _actor.get() or Actor(user=None)


def _json_value(value):
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_json_value(v) for v in value]
    if isinstance(value, FieldFile):  # the stored name; an empty file field has no url to ask for
        return value.name or None
    return value


def snapshot(instance: models.Model) -> dict:
    """The instance's concrete fields as JSON-safe data (foreign keys as ids)."""
    excluded = getattr(instance, "audit_exclude", set())
    data = {}
    for field in instance._meta.concrete_fields:
        if field.name in excluded or field.name in ("organisation", "id"):
            continue
        data[field.attname if field.is_relation else field.name] = _json_value(field.value_from_object(instance))
    return data


def _entry(*, instance, action, before=None, after=None, event="", actor: Actor | None = None) -> AuditEntry:
    """An unsaved audit entry for a change to ``instance`` by the current actor."""
    actor = actor or current_actor()
    user = actor.user if getattr(actor.user, "pk", None) else None
    # The id, not the object: no query per row for instances loaded without it.
    is_org = isinstance(instance, Organisation)
    return AuditEntry(
        organisation_id=instance.pk if is_org else getattr(instance, "organisation_id", None),
        actor=user,
        actor_name=(user.get_full_name() or user.email) if user else "systeem",
        action=action,
        event=event,
        object_type=instance._meta.label_lower,
        object_id=str(instance.pk or ""),
        object_repr=str(instance)[:255],
        before=before,
        after=after,
        request_id=actor.request_id,
        via=actor.via,
    )


def _write(*, instance, action, before=None, after=None, event="") -> AuditEntry:
    entry = _entry(instance=instance, action=action, before=before, after=after, event=event)
    entry.save(force_insert=True)
    return entry


def record_event(*, instance: models.Model, event: str, data: dict | None = None) -> AuditEntry:
    """A named business event (invitation sent, version adopted, ...) beside the field changes."""
    return _write(instance=instance, action=AuditEntry.Action.EVENT, after=data or {}, event=event)


def _audited(sender) -> bool:
    return sender is Organisation or (
        issubclass(sender, OrganisationOwned) and not getattr(sender, "audit_skip", False)
    )


def _pre_save(sender, instance, raw=False, **kwargs):
    if raw or not _audited(sender):
        return
    instance._audit_before = None
    if instance.pk is not None:
        old = sender._base_manager.filter(pk=instance.pk).first()
        instance._audit_before = snapshot(old) if old is not None else None


def _post_save(sender, instance, created, raw=False, **kwargs):
    if raw or not _audited(sender):
        return
    after = snapshot(instance)
    before = getattr(instance, "_audit_before", None)
    if created or before is None:
        _write(instance=instance, action=AuditEntry.Action.CREATE, after=after)
    elif before != after:
        _write(instance=instance, action=AuditEntry.Action.UPDATE, before=before, after=after)


def _post_delete(sender, instance, **kwargs):
    if not _audited(sender) or sender is Organisation:
        return
    _write(instance=instance, action=AuditEntry.Action.DELETE, before=snapshot(instance))


def _m2m_changed(sender, instance, action, pk_set, model, reverse=False, **kwargs):
    if not isinstance(instance, models.Model) or not _audited(type(instance)):
        return
    if action not in ("pre_add", "pre_remove", "pre_clear", "post_add", "post_remove", "post_clear"):
        return
    if reverse:
        # Changed from the other side (``risk.measures.add(m)``): the field is declared on
        # ``model``; the instance's side is its reverse accessor.
        field = next((f for f in model._meta.many_to_many if f.remote_field.through is sender), None)
        name = field.remote_field.get_accessor_name() if field else None
    else:
        field = next((f for f in instance._meta.many_to_many if f.remote_field.through is sender), None)
        name = field.name if field else None
    if name is None:
        return
    current = sorted(str(v) for v in getattr(instance, name).values_list("pk", flat=True))
    if action.startswith("pre_"):
        instance._audit_m2m_before = current
        return
    before = getattr(instance, "_audit_m2m_before", None)
    if before is not None and before != current:
        _write(
            instance=instance,
            action=AuditEntry.Action.UPDATE,
            before={name: before},
            after={name: current},
        )


def connect_signals():
    pre_save.connect(_pre_save, dispatch_uid="weerbaar_audit_pre_save")
    post_save.connect(_post_save, dispatch_uid="weerbaar_audit_post_save")
    post_delete.connect(_post_delete, dispatch_uid="weerbaar_audit_post_delete")
    m2m_changed.connect(_m2m_changed, dispatch_uid="weerbaar_audit_m2m")


def record_bulk(changes) -> int:
    """Audit entries for rows written with ``bulk_create``/``bulk_update``, which send no signals.

    ``changes`` holds ``(instance, before, after)``: ``before`` None for a created row (a create
    entry), otherwise an update entry when ``before`` differs from ``after``. Both are
    :func:`snapshot`\\s, optionally with many-to-many fields added as sorted id strings (as the
    many-to-many signal records them). Who and when come from the same actor as single saves.
    Returns the number of entries written.
    """
    actor = current_actor()
    entries = []
    for instance, before, after in changes:
        if before is not None and before == after:
            continue
        action = AuditEntry.Action.CREATE if before is None else AuditEntry.Action.UPDATE
        entries.append(_entry(instance=instance, action=action, before=before, after=after, actor=actor))
    AuditEntry.objects.with_scopes_disabled().bulk_create(entries, batch_size=500)
    return len(entries)
