"""The daily reminder run as a background job (django-tasks), without a broker or cron.

:func:`daily_reminders` sends the day's digests and then enqueues its own next run for the next
morning (``run_after``), so once started the database worker keeps it going. ``manage.py
send_reminders --schedule`` starts the chain (``scripts/serve.sh`` calls it before the worker);
it enqueues nothing when a next run is already waiting, so restarts do not multiply the chain.
Cron can call ``manage.py send_reminders`` instead or as well: the unique (member, day) log row
keeps every member at one digest a day, whoever runs first.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from . import services

logger = logging.getLogger(__name__)

SEND_AT = datetime.time(7, 0)  # local time: the digest is in the mailbox before the working day


def next_run(now: datetime.datetime | None = None) -> datetime.datetime:
    now = timezone.localtime(now or timezone.now())
    at = now.replace(hour=SEND_AT.hour, minute=SEND_AT.minute, second=0, microsecond=0)
    return at if at > now else at + datetime.timedelta(days=1)


def _uses_database_backend() -> bool:
    return settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"


def _pending(*, running_counts: bool = True) -> bool:
    """Is a run of the daily job waiting (or, with ``running_counts``, running; a running one
    queues its own successor)?"""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    statuses = [TaskResultStatus.READY, TaskResultStatus.RUNNING] if running_counts else [TaskResultStatus.READY]
    return DBTaskResult.objects.filter(task_path=daily_reminders.module_path, status__in=statuses).exists()


def schedule_next(now: datetime.datetime | None = None) -> bool:
    """Enqueue the next daily run unless one is waiting; only with the database backend (the
    immediate backend would run it at once, in the request)."""
    if not _uses_database_backend() or _pending():
        return False
    daily_reminders.using(run_after=next_run(now)).enqueue()
    return True


@task()
def daily_reminders() -> int:
    try:
        sent = services.send_reminders()
        logger.info("Reminders sent: %s", sent)
        return sent
    finally:
        # Whatever happened today, tomorrow's run is queued. This run is itself RUNNING, so only
        # a waiting (READY) run counts as already queued.
        if _uses_database_backend() and not _pending(running_counts=False):
            daily_reminders.using(run_after=next_run()).enqueue()
