"""Backup and restore of one installation: the database and the uploaded files, in one file.

A backup is a gzipped tar archive with

- ``manifest.json``: format version, time, database engine, the applied migrations and the
  number of rows per table (restore checks them after loading);
- ``database.sqlite3`` (SQLite, made with SQLite's online backup API, so a running server may
  keep writing: the copy is one consistent moment) or ``database.pgdump`` (PostgreSQL,
  ``pg_dump --format=custom``, also one consistent snapshot);
- ``media/...``: every file under ``MEDIA_ROOT``.

Restore goes into an *empty* installation (no municipality and no user yet) of the same
database engine; it refuses anything else, so a restore never mixes two installations. After
loading it compares the row counts with the manifest and fails loudly when they differ.
"""

from __future__ import annotations

import datetime
import io
import json
import os
import shutil
import sqlite3
import subprocess  # noqa: S404 - pg_dump/pg_restore with fixed arguments, no shell
import tarfile
import tempfile
from glob import glob
from pathlib import Path

from django.conf import settings
from django.db import connection, connections

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database.sqlite3"
PG_MEMBER = "database.pgdump"
MEDIA_PREFIX = "media/"


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why (in Dutch, for operators)."""


def _engine() -> str:
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"Databasesoort {vendor} wordt niet ondersteund.")
    return vendor


def table_counts(using: str = "default") -> dict[str, int]:
    conn = connections[using]
    counts = {}
    with conn.cursor() as cursor:
        for table in sorted(conn.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {conn.ops.quote_name(table)}")  # noqa: S608 - names from introspection
            counts[table] = cursor.fetchone()[0]
    return counts


def _applied_migrations() -> list[str]:
    with connection.cursor() as cursor:
        if "django_migrations" not in connection.introspection.table_names(cursor):
            return []
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        return [f"{app}.{name}" for app, name in cursor.fetchall()]


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if candidates:
        return candidates[-1]
    raise BackupError(f"{name} is niet gevonden; installeer de PostgreSQL-clientprogramma's.")


def _pg_env_and_args() -> tuple[dict, list[str]]:
    params = connection.get_connection_params()
    env = dict(os.environ)
    if params.get("password"):
        env["PGPASSWORD"] = str(params["password"])  # never on the command line
    args = []
    for option, key in (("--host", "host"), ("--port", "port"), ("--username", "user")):
        if params.get(key):
            args += [option, str(params[key])]
    args += ["--dbname", str(params.get("dbname") or connection.settings_dict["NAME"])]
    return env, args


def _dump_database(engine: str, target: Path) -> None:
    if engine == "sqlite":
        connection.ensure_connection()
        destination = sqlite3.connect(target)
        try:
            connection.connection.backup(destination)
        finally:
            destination.close()
        return
    env, args = _pg_env_and_args()
    subprocess.run(  # noqa: S603
        [_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", "--file", str(target), *args],
        check=True,
        env=env,
        capture_output=True,
    )


def create_backup(destination_dir: Path | str) -> Path:
    """Write a backup file in ``destination_dir`` and return its path."""
    engine = _engine()
    destination_dir = Path(destination_dir)
    destination_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    path = destination_dir / f"weerbaar-backup-{stamp}.tar.gz"
    with tempfile.TemporaryDirectory() as tmp:
        db_file = Path(tmp) / (SQLITE_MEMBER if engine == "sqlite" else PG_MEMBER)
        counts = table_counts()  # taken before the dump: rows only grow between the two on a live system
        _dump_database(engine, db_file)
        media_root = Path(settings.MEDIA_ROOT)
        media_files = sorted(p for p in media_root.rglob("*") if p.is_file()) if media_root.exists() else []
        manifest = {
            "format": FORMAT_VERSION,
            "created_at": datetime.datetime.now(datetime.UTC).isoformat(),
            "engine": engine,
            "migrations": _applied_migrations(),
            "tables": counts,
            "media": [str(p.relative_to(media_root)) for p in media_files],
        }
        partial = path.with_suffix(".partial")
        with tarfile.open(partial, "w:gz") as tar:
            data = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
            tar.add(db_file, arcname=db_file.name)
            for file in media_files:
                tar.add(file, arcname=MEDIA_PREFIX + str(file.relative_to(media_root)))
        partial.replace(path)  # a backup file either is complete or does not exist
    return path


def read_manifest(path: Path | str) -> dict:
    try:
        with tarfile.open(path, "r:gz") as tar:
            member = tar.extractfile(MANIFEST)
            manifest = json.load(member)
    except (KeyError, tarfile.TarError, OSError, ValueError, AttributeError) as e:
        raise BackupError("Dit bestand is geen Weerbaar-back-up (manifest ontbreekt of is onleesbaar).") from e
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError("Deze back-up heeft een onbekende versie.")
    return manifest


def _is_empty() -> bool:
    """No municipality and no user yet: a fresh installation, migrated or not."""
    from django.contrib.auth import get_user_model

    from .models import Organisation

    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
    for model in (Organisation, get_user_model()):
        if model._meta.db_table in tables and model._base_manager.exists():
            return False
    return True


def _safe_media_path(media_root: Path, name: str) -> Path:
    target = (media_root / name).resolve()
    if media_root.resolve() not in target.parents:
        raise BackupError(f"Ongeldig bestandspad in de back-up: {name}")
    return target


def restore_backup(path: Path | str) -> dict:
    """Load a backup into this (empty) installation; returns the manifest."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"Het bestand {path} bestaat niet.")
    manifest = read_manifest(path)
    engine = _engine()
    if manifest["engine"] != engine:
        raise BackupError(
            f"De back-up komt uit {manifest['engine']}, deze installatie gebruikt {engine}: "
            "zet de back-up terug in een installatie met dezelfde database."
        )
    if not _is_empty():
        raise BackupError("De database van deze installatie is niet leeg: zet een back-up alleen terug in een lege.")
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as tmp, tarfile.open(path, "r:gz") as tar:
        members = tar.getmembers()
        for member in members:
            if not (member.isfile() or member.isdir()):
                raise BackupError(f"Ongeldig onderdeel in de back-up: {member.name}")
        db_name = SQLITE_MEMBER if engine == "sqlite" else PG_MEMBER
        tar.extract(db_name, tmp, filter="data")
        _load_database(engine, Path(tmp) / db_name)
        for member in members:
            if member.isfile() and member.name.startswith(MEDIA_PREFIX):
                target = _safe_media_path(media_root, member.name[len(MEDIA_PREFIX) :])
                target.parent.mkdir(parents=True, exist_ok=True)
                source = tar.extractfile(member)
                with open(target, "wb") as out:
                    shutil.copyfileobj(source, out)
    restored = table_counts()
    expected = manifest["tables"]
    differences = {t: (n, restored.get(t)) for t, n in expected.items() if restored.get(t) != n}
    if differences:
        raise BackupError(f"Na het terugzetten kloppen de aantallen rijen niet: {differences}")
    return manifest


def _load_database(engine: str, file: Path) -> None:
    if engine == "sqlite":
        # Into the open connection: closing it would drop an in-memory database (the tests').
        connection.ensure_connection()
        source = sqlite3.connect(file)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
        return
    connection.close()
    env, args = _pg_env_and_args()
    subprocess.run(  # noqa: S603
        [
            _pg_tool("pg_restore"),
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            "--clean",
            "--if-exists",
            *args,
            str(file),
        ],
        check=True,
        env=env,
        capture_output=True,
    )
