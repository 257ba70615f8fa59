"""Writes of the calendar: planning moments, the private feed, reminder choice, and sending the
daily reminder digests."""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_scopes import scope, scopes_disabled

from weerbaar.core import audit, permissions
from weerbaar.core.models import Membership, Organisation
from weerbaar.core.registers import claim_revision

from . import selectors
from .models import MemberAgenda, PlanningMoment, ReminderLog

logger = logging.getLogger(__name__)


# --- Planning-and-control moments ----------------------------------------------------------


@transaction.atomic
def moment_save(
    *,
    organisation: Organisation,
    membership: Membership,
    moment: PlanningMoment | None = None,
    title: str,
    date: datetime.date,
    description: str = "",
    owner: Membership | None = None,
    expected_revision: int | None = None,
) -> PlanningMoment:
    permissions.require(membership, "agenda.manage")
    if owner is not None and owner.organisation_id != organisation.pk:
        raise ValidationError({"owner": _("Kies een lid van deze gemeente.")})
    if date is None:
        raise ValidationError({"date": _("Vul een datum in.")})
    moment = moment or PlanningMoment(organisation=organisation)
    if moment.pk:
        claim_revision(moment, expected_revision)
    moment.title = title
    moment.date = date
    moment.description = description or ""
    moment.owner = owner
    moment.full_clean(exclude=["organisation"])
    moment.save()
    return moment


@transaction.atomic
def moment_delete(*, membership: Membership, moment: PlanningMoment) -> None:
    permissions.require(membership, "agenda.manage")
    audit.record_event(instance=moment, event="planning_moment.deleted", data={"title": moment.title})
    moment.delete()


# --- The member's own choices --------------------------------------------------------------


def _agenda_of(membership: Membership, *, lock: bool = False) -> MemberAgenda:
    agenda, _created = MemberAgenda.objects.get_or_create(
        membership=membership, defaults={"organisation_id": membership.organisation_id}
    )
    if lock:
        agenda = MemberAgenda.objects.select_for_update().get(pk=agenda.pk)
    return agenda


@transaction.atomic
def feed_renew(*, membership: Membership) -> str:
    """A new private feed link for this member; the old link stops working. Returns the raw token
    (shown once; only its hash is kept)."""
    permissions.require(membership, "agenda.view")
    agenda = _agenda_of(membership, lock=True)
    raw, token_hash = MemberAgenda.new_token()
    agenda.feed_token_hash = token_hash
    agenda.feed_created_at = timezone.now()
    agenda.feed_used_at = None
    agenda.save()
    audit.record_event(instance=agenda, event="calendar_feed.renewed")
    return raw


@transaction.atomic
def feed_revoke(*, membership: Membership) -> None:
    permissions.require(membership, "agenda.view")
    agenda = _agenda_of(membership, lock=True)
    if agenda.feed_token_hash:
        agenda.feed_token_hash = None
        agenda.feed_created_at = None
        agenda.save()
        audit.record_event(instance=agenda, event="calendar_feed.revoked")


@transaction.atomic
def reminders_set(*, membership: Membership, enabled: bool) -> MemberAgenda:
    permissions.require(membership, "agenda.view")
    agenda = _agenda_of(membership, lock=True)
    if agenda.reminders != enabled:
        agenda.reminders = enabled
        agenda.save()
    return agenda


def feed_membership(raw_token: str) -> Membership | None:
    """The member whose feed this token opens, or None (unknown, revoked, or inactive user).

    Looked up across municipalities: the token is the key, and it names one member only.
    """
    if not raw_token or len(raw_token) > 200:
        return None
    from .models import hash_token

    with scopes_disabled():
        agenda = (
            MemberAgenda.objects.select_related("membership__user", "membership__organisation")
            .filter(feed_token_hash=hash_token(raw_token))
            .first()
        )
        if agenda is None or not agenda.membership.user.is_active:
            return None
        now = timezone.now()
        if agenda.feed_used_at is None or now - agenda.feed_used_at > datetime.timedelta(hours=1):
            MemberAgenda.objects.filter(pk=agenda.pk).update(feed_used_at=now)
    return agenda.membership


# --- Reminders -----------------------------------------------------------------------------


def _claim(membership: Membership, day: datetime.date) -> ReminderLog | None:
    """Insert the (member, day) row; a second worker's insert fails on the unique constraint."""
    try:
        with transaction.atomic():
            return ReminderLog.objects.create(
                organisation_id=membership.organisation_id, membership=membership, day=day
            )
    except IntegrityError:
        return None


def _base_url(base_url: str | None) -> str:
    """Where the links in the e-mail point: the command's --base-url, else ``settings.SITE_URL`` (a
    background job has no request to take the host from)."""
    return (base_url or settings.SITE_URL).rstrip("/")


def send_digest(membership: Membership, day: datetime.date, *, base_url: str = "") -> bool:
    """Send this member one digest for ``day`` if there is something to say and none went out yet."""
    items = selectors.reminder_items(membership, day)
    if not items:
        return False
    claim = _claim(membership, day)
    if claim is None:
        return False  # another worker (or an earlier run today) sent it
    overdue = [i for i in items if i.entry.date < day]
    soon = [i for i in items if i.entry.date >= day]
    root = _base_url(base_url)
    org = membership.organisation
    context = {
        "membership": membership,
        "organisation": org,
        "overdue": overdue,
        "soon": soon,
        "root": root,
        "calendar_url": root + reverse("agenda:calendar", kwargs={"org": org.slug}),
        "settings_url": root + reverse("agenda:feed", kwargs={"org": org.slug}),
        "day": day,
    }
    subject = ngettext(
        "Weerbaar %(org)s: %(n)s punt vraagt uw aandacht",
        "Weerbaar %(org)s: %(n)s punten vragen uw aandacht",
        len(items),
    ) % {"org": org.name, "n": len(items)}
    try:
        send_mail(
            subject=subject,
            message=render_to_string("agenda/email/reminder.txt", context),
            from_email=None,
            recipient_list=[membership.user.email],
        )
    except Exception:
        # Not sent: give the day back, so the next run (or the other worker) tries again.
        ReminderLog.objects.filter(pk=claim.pk).delete()
        logger.exception("Reminder to membership %s failed", membership.pk)
        return False
    ReminderLog.objects.filter(pk=claim.pk).update(items=len(items))
    return True


def send_reminders(day: datetime.date | None = None, *, base_url: str = "") -> int:
    """Send every member who wants reminders one digest for ``day``; returns how many were sent.

    Safe to run more than once a day and by two workers at once: the unique (member, day) row is
    claimed before the e-mail goes out.
    """
    day = day or timezone.localdate()
    with scopes_disabled():
        opted_out = set(MemberAgenda.objects.filter(reminders=False).values_list("membership_id", flat=True))
        already = set(ReminderLog.objects.filter(day=day).values_list("membership_id", flat=True))
        members = list(
            Membership.objects.select_related("user", "organisation")
            .filter(user__is_active=True)
            .exclude(pk__in=opted_out | already)
            .order_by("organisation_id", "pk")
        )
    sent = 0
    for membership in members:
        if not membership.user.email:
            continue
        with scope(organisation=membership.organisation_id), translation.override(settings.LANGUAGE_CODE):
            sent += send_digest(membership, day, base_url=base_url)
    return sent
