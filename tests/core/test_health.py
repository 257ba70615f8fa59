"""/gezondheid/: open without login, no tenant data, 200 only when every check passes."""

from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_health_is_open_and_reports_every_check(client):
    response = client.get("/gezondheid/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "migrations", "worker"}
    assert body["checks"]["worker"]["detail"] == "n.v.t."  # the immediate backend has no worker
    assert response["Cache-Control"].startswith("max-age=0")


def test_health_holds_no_tenant_data(client, demostad):
    text = client.get("/gezondheid/").content.decode()
    assert "demostad" not in text.lower() and "@" not in text


@pytest.mark.parametrize("check", ["check_database", "check_cache", "check_migrations"])
def test_a_failing_check_gives_503(client, check):
    with mock.patch(f"weerbaar.core.health.{check}", side_effect=RuntimeError("down")):
        from weerbaar.core import health

        with mock.patch.dict(health.CHECKS, {check.removeprefix("check_"): getattr(health, check)}):
            response = client.get("/gezondheid/")
    assert response.status_code == 503
    assert response.json()["checks"][check.removeprefix("check_")] == {"ok": False, "detail": "RuntimeError"}


def test_unapplied_migration_gives_503(client):
    with mock.patch("django.db.migrations.executor.MigrationExecutor.migration_plan", return_value=[("x", False)]):
        response = client.get("/gezondheid/")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"]["detail"] == "1 unapplied"


def test_worker_check_with_the_database_backend(client, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS_BACKEND = "database"
    assert client.get("/gezondheid/").status_code == 200  # no jobs yet

    now = timezone.now()
    fields = {
        "args_kwargs": {"args": [], "kwargs": {}},
        "task_path": "x.y",
        "queue_name": "default",
        "backend_name": "default",
    }
    DBTaskResult.objects.create(status="SUCCESSFUL", run_after=now, started_at=now - timedelta(seconds=30), **fields)
    response = client.get("/gezondheid/")
    assert response.status_code == 200
    assert "30 s ago" in response.json()["checks"]["worker"]["detail"]

    # A job that waited ten minutes for a worker: none is running.
    DBTaskResult.objects.create(status="READY", run_after=now - timedelta(minutes=10), **fields)
    response = client.get("/gezondheid/")
    assert response.status_code == 503
    assert response.json()["checks"]["worker"] == {"ok": False, "detail": "a job has waited 10 min for a worker"}
