"""/gezondheid/: may this instance take traffic? For a load balancer or monitoring.

Open without login and free of tenant data: only whether the database answers, the cache
stores, every migration is applied and (with the database task backend) the background
worker keeps up. 200 when all is well, 503 otherwise, with a JSON body per check.
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

# A job that waits longer than this for a worker means no worker is running.
WORKER_MAX_WAIT = timedelta(minutes=5)


def check_database() -> tuple[bool, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return True, "ok"


def check_cache() -> tuple[bool, str]:
    key, value = f"weerbaar:health:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, 30)
    ok = cache.get(key) == value
    cache.delete(key)
    return ok, "ok" if ok else "cache does not return what was stored"


def check_migrations() -> tuple[bool, str]:
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return (not plan), "ok" if not plan else f"{len(plan)} unapplied"


def check_worker() -> tuple[bool, str]:
    if settings.TASKS_BACKEND != "database":
        return True, "n.v.t."
    from django_tasks_db.models import DBTaskResult  # only installed apps are imported here

    now = timezone.now()
    waiting = (
        DBTaskResult.objects.filter(status="READY", run_after__lte=now - WORKER_MAX_WAIT).order_by("run_after").first()
    )
    if waiting is not None:
        minutes = int((now - waiting.run_after).total_seconds() // 60)
        return False, f"a job has waited {minutes} min for a worker"
    latest = DBTaskResult.objects.exclude(started_at=None).order_by("-started_at").first()
    if latest is None:
        return True, "ok (no jobs yet)"
    seconds = int((now - latest.started_at).total_seconds())
    return True, f"ok (last job picked up {seconds} s ago)"


CHECKS = {"database": check_database, "cache": check_cache, "migrations": check_migrations, "worker": check_worker}


@login_not_required
@never_cache
@require_GET
def health(request):
    results = {}
    healthy = True
    for name, check in CHECKS.items():
        try:
            ok, detail = check()
        except Exception as exc:  # the check failing is the finding; the class name says enough
            ok, detail = False, type(exc).__name__
        results[name] = {"ok": ok, "detail": detail}
        healthy = healthy and ok
    return JsonResponse({"status": "ok" if healthy else "fout", "checks": results}, status=200 if healthy else 503)
