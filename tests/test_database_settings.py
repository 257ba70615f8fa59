"""The production profile keeps database connections open between requests and checks them
before reuse (PostgreSQL: no new connection per request); development opens one per request."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRINT = (
    "import django, json; django.setup(); from django.conf import settings; d = settings.DATABASES['default']; "
    "print(json.dumps([d['ENGINE'], d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS']]))"
)


def _database_settings(tmp_path, **env) -> list:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST", "DATABASE_"))}
    base.update(
        SECRET_KEY="test-only-production-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
        ALLOWED_HOSTS="127.0.0.1",
        WEERBAAR_VAR_DIR=str(tmp_path),
        PYTHONPATH=str(ROOT / "src"),
        DJANGO_SETTINGS_MODULE="weerbaar.settings",
        **env,
    )
    out = subprocess.run([sys.executable, "-c", PRINT], env=base, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("url", ["postgres://weerbaar@127.0.0.1:5432/weerbaar", "sqlite:///{tmp}/db.sqlite3"])
def test_production_keeps_connections_with_health_checks(tmp_path, url):
    engine, max_age, checks = _database_settings(
        tmp_path, WEERBAAR_ENV="production", DATABASE_URL=url.format(tmp=tmp_path)
    )
    assert max_age >= 60 and checks is True, engine


def test_the_age_is_configurable_and_development_connects_per_request(tmp_path):
    url = "postgres://weerbaar@127.0.0.1:5432/weerbaar"
    assert _database_settings(tmp_path, WEERBAAR_ENV="production", DATABASE_URL=url, DATABASE_CONN_MAX_AGE="5")[1] == 5
    assert _database_settings(tmp_path, WEERBAAR_ENV="development", DATABASE_URL=url)[1] == 0
