"""Background jobs of learning circles (django-tasks): mention e-mails and the daily digest.

With the immediate backend (development, tests) a job runs at once; in production
(``TASKS_BACKEND=database``) ``manage.py db_worker`` runs it. The daily digest keeps itself
going: :func:`daily_digests` sends the digests and queues its own next run for the next morning;
``manage.py send_circle_digests --schedule`` starts that chain (``scripts/serve.sh`` calls it)
and queues nothing when a run is already waiting. Without the database worker, cron calls
``manage.py send_circle_digests`` once a day instead.

A post goes to a member in a digest at most once: each post sent is recorded in
``DigestDelivery`` (unique per member and post) in the same transaction as the mail is made;
a second run, or two workers at once, find it recorded and skip it.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from .models import CircleMember, DigestDelivery, Post

logger = logging.getLogger(__name__)

DIGEST_MAX_POSTS = 50  # per mail; the rest are listed as a count, the circle's page has them all


def _base_url() -> str:
    """Where the e-mails link to: ``settings.SITE_URL`` (a job has no request to take the address from)."""
    return settings.SITE_URL


def _thread_link(post: Post) -> str:
    return _base_url() + reverse("circles:thread", kwargs={"pk": post.thread_id})


@task()
def send_mentions(*, post_id: int) -> int:
    """E-mail the members a post names with @name (unless they turned it off); returns the count."""
    post = Post.objects.select_related("thread", "circle").filter(pk=post_id).first()
    if post is None:
        return 0
    mentioned = set(post.mentions.values_list("pk", flat=True))
    places = CircleMember.objects.filter(
        circle_id=post.circle_id, user_id__in=mentioned, state=CircleMember.State.ACTIVE, mention_mail=True
    ).select_related("user")
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for place in places:
            send_mail(
                subject=_("%(name)s noemde u in leerkring %(circle)s")
                % {"name": post.author_name, "circle": post.circle.name},
                message=render_to_string(
                    "circles/email/mention.txt", {"post": post, "place": place, "link": _thread_link(post)}
                ),
                from_email=None,
                recipient_list=[place.user.email],
            )
            sent += 1
    return sent


def new_posts_for(place: CircleMember):
    """Posts of the member's circle since they joined, not their own, not sent to them before."""
    return (
        Post.objects.filter(circle_id=place.circle_id, created_at__gte=place.joined_at)
        .exclude(author_id=place.user_id)
        .exclude(pk__in=DigestDelivery.objects.filter(member=place).values("post_id"))
        .select_related("thread")
        .order_by("created_at", "id")
    )


DIGEST_AT = datetime.time(7, 30)  # local time: after the agenda's reminders, before the working day


def next_digest_run(now: datetime.datetime | None = None) -> datetime.datetime:
    now = timezone.localtime(now or timezone.now())
    at = now.replace(hour=DIGEST_AT.hour, minute=DIGEST_AT.minute, second=0, microsecond=0)
    return at if at > now else at + datetime.timedelta(days=1)


def _uses_database_backend() -> bool:
    return settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"


def _daily_run_pending(*, running_counts: bool = True) -> bool:
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    statuses = [TaskResultStatus.READY, TaskResultStatus.RUNNING] if running_counts else [TaskResultStatus.READY]
    return DBTaskResult.objects.filter(task_path=daily_digests.module_path, status__in=statuses).exists()


def schedule_daily_digests(now: datetime.datetime | None = None) -> bool:
    """Queue the next daily digest run unless one is waiting; only with the database backend (the
    immediate backend would run it at once)."""
    if not _uses_database_backend() or _daily_run_pending():
        return False
    daily_digests.using(run_after=next_digest_run(now)).enqueue()
    return True


@task()
def daily_digests() -> int:
    try:
        return _send_all_digests()
    finally:
        # Whatever happened today, tomorrow's run is queued (this run itself is RUNNING).
        if _uses_database_backend() and not _daily_run_pending(running_counts=False):
            daily_digests.using(run_after=next_digest_run()).enqueue()


@task()
def send_digests() -> int:
    """One e-mail per person with the new posts of all their circles; returns the mails sent."""
    return _send_all_digests()


def _send_all_digests() -> int:
    places = (
        CircleMember.objects.filter(state=CircleMember.State.ACTIVE, digest=True, joined_at__isnull=False)
        .select_related("user", "circle")
        .order_by("user_id", "circle__name")
    )
    by_user = defaultdict(list)
    for place in places:
        by_user[place.user_id].append(place)
    mails = 0
    for user_places in by_user.values():
        try:
            mails += _send_digest(user_places)
        except IntegrityError:
            # Another run recorded these posts first: it sends them, this one does not.
            logger.info("Digest for user %s already sent by another run", user_places[0].user_id)
    return mails


def _send_digest(places: list[CircleMember]) -> int:
    with transaction.atomic():
        sections = []
        deliveries = []
        for place in places:
            posts = list(new_posts_for(place))
            if not posts:
                continue
            deliveries += [DigestDelivery(member=place, post=p) for p in posts]
            sections.append(
                {
                    "circle": place.circle,
                    "posts": [{"post": p, "link": _thread_link(p)} for p in posts[:DIGEST_MAX_POSTS]],
                    "more": max(0, len(posts) - DIGEST_MAX_POSTS),
                }
            )
        if not sections:
            return 0
        DigestDelivery.objects.bulk_create(deliveries)
        user = places[0].user
        with translation.override(settings.LANGUAGE_CODE):
            send_mail(
                subject=_("Nieuw in uw leerkringen"),
                message=render_to_string(
                    "circles/email/digest.txt",
                    {"user": user, "sections": sections, "settings_link": _base_url() + reverse("circles:mine")},
                ),
                from_email=None,
                recipient_list=[user.email],
            )
    return 1
