"""Data versions: a number per municipality that the database changes with every write.

A reader that keeps answers (the API's register lists, see ``api.listcache``) asks for the
versions first and keys what it keeps with them; any write to the data behind the answer gives
a new version, so a kept answer is never served after a change. The numbers are kept by the
database itself, with triggers an app installs from a migration (:func:`install`) on each table
its answers are built from:

- ``own``: a table with an ``organisation_id`` column (``risks_risk``);
- ``links``: a link table, with the column naming the owning row and the owner's table, which
  has the ``organisation_id`` (``risks_risk_assets``, ``risk_id``, ``risks_risk``);
- ``national``: content every municipality reads (themes, threats): scope 0.

Why triggers and not signals: ``bulk_create``, ``QuerySet.update()``, cascades, the importer
and a national content load all bypass signals; nothing bypasses a trigger. The version changes
inside the writer's transaction, so readers see it exactly when they see the data.

The cost: within one municipality, writes to guarded tables queue on the municipality's version
row from their first such write until they commit (PostgreSQL; SQLite has one writer anyway).
A deadlock between two such writers is answered 503 "busy" like any other (``core.busy``).

This module is shared layer: a migration calls :func:`install` with its tables. Change the SQL
here only in ways that old migrations may run again (they run on every fresh database).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from django.db import connections

NATIONAL = 0
T = TypeVar("T")

_SQL_CURRENT = "SELECT scope, number FROM core_dataversion WHERE scope IN (%s, %s)"


def current(organisation_id: int, using: str = "default") -> tuple[int, int]:
    """The versions of the municipality's data and of national content, in one query."""
    with connections[using].cursor() as cursor:
        cursor.execute(_SQL_CURRENT, [NATIONAL, organisation_id])
        found = dict(cursor.fetchall())
    return found.get(organisation_id, 0), found.get(NATIONAL, 0)


# Figures a process keeps per municipality and name, with the versions they were computed under.
_kept: dict[tuple[int, str], tuple[tuple[int, int], object]] = {}
_kept_lock = threading.Lock()


def kept(organisation_id: int, name: str, compute: Callable[[], T], *, versions: tuple[int, int] | None = None) -> T:
    """``compute()``, kept by this process until the municipality's data changes.

    For figures built only from tables with version triggers (counts, groups) and the same for
    every member and language; the caller names them. ``versions``: read once for several
    figures of one request (:func:`current`), always before the data. One entry per
    municipality and name, so the memory is bounded by the number of municipalities. The
    result is shared between requests: callers must not change it.
    """
    versions = versions if versions is not None else current(organisation_id)
    key = (organisation_id, name)
    with _kept_lock:
        found = _kept.get(key)
    if found is not None and found[0] == versions:
        return found[1]  # type: ignore[return-value]
    value = compute()
    with _kept_lock:
        _kept[key] = (versions, value)
    return value


def forget_kept() -> None:
    """Drop every kept figure (tests, whose database is rolled back between them)."""
    with _kept_lock:
        _kept.clear()


# --- triggers ----------------------------------------------------------------------------------

_PG_FUNCTIONS = """
CREATE OR REPLACE FUNCTION wb_dv_bump(scope_id bigint) RETURNS void AS $$
BEGIN
    IF scope_id IS NOT NULL THEN
        INSERT INTO core_dataversion (scope, number) VALUES (scope_id, 1)
        ON CONFLICT (scope) DO UPDATE SET number = core_dataversion.number + 1;
    END IF;
END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION wb_dv_own() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM wb_dv_bump(NEW.organisation_id);
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM wb_dv_bump(OLD.organisation_id);
    ELSE
        PERFORM wb_dv_bump(NEW.organisation_id);
        IF NEW.organisation_id IS DISTINCT FROM OLD.organisation_id THEN
            PERFORM wb_dv_bump(OLD.organisation_id);
        END IF;
    END IF;
    RETURN NULL;
END $$ LANGUAGE plpgsql;

-- TG_ARGV: the owner's table, the link table's column naming the owning row.
CREATE OR REPLACE FUNCTION wb_dv_link() RETURNS trigger AS $$
DECLARE
    org bigint;
BEGIN
    IF TG_OP <> 'INSERT' THEN
        EXECUTE format('SELECT organisation_id FROM %I WHERE id = $1', TG_ARGV[0])
            INTO org USING (to_jsonb(OLD) ->> TG_ARGV[1])::bigint;
        PERFORM wb_dv_bump(org);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        EXECUTE format('SELECT organisation_id FROM %I WHERE id = $1', TG_ARGV[0])
            INTO org USING (to_jsonb(NEW) ->> TG_ARGV[1])::bigint;
        PERFORM wb_dv_bump(org);
    END IF;
    RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION wb_dv_national() RETURNS trigger AS $$
BEGIN
    PERFORM wb_dv_bump(0);
    RETURN NULL;
END $$ LANGUAGE plpgsql;
"""

# SQLite: an INSERT ... SELECT with a WHERE (which the upsert needs to parse) per bump.
_SQLITE_UPSERT = "ON CONFLICT (scope) DO UPDATE SET number = number + 1;"


def _name(table: str) -> str:
    return f"wb_dv_{table}"


def _sqlite_triggers(table: str, bump) -> list[str]:
    """One trigger per operation; ``bump(row)`` is the statement for the ``NEW`` or ``OLD`` row."""
    rows = {"INSERT": ("NEW",), "UPDATE": ("NEW", "OLD"), "DELETE": ("OLD",)}
    return [
        f'CREATE TRIGGER IF NOT EXISTS "{_name(table)}_{op.lower()}" AFTER {op} ON "{table}" FOR EACH ROW '
        f"BEGIN {' '.join(bump(row) for row in names)} END;"
        for op, names in rows.items()
    ]


def _sqlite_own(table: str) -> list[str]:
    return _sqlite_triggers(
        table,
        lambda row: (
            f"INSERT INTO core_dataversion (scope, number) SELECT {row}.organisation_id, 1 "
            f"WHERE {row}.organisation_id IS NOT NULL {_SQLITE_UPSERT}"
        ),
    )


def _sqlite_link(table: str, column: str, owner: str) -> list[str]:
    return _sqlite_triggers(
        table,
        lambda row: (
            f'INSERT INTO core_dataversion (scope, number) SELECT o.organisation_id, 1 FROM "{owner}" o '  # noqa: S608 - the migration's table names
            f'WHERE o.id = {row}."{column}" AND o.organisation_id IS NOT NULL {_SQLITE_UPSERT}'
        ),
    )


def _sqlite_national(table: str) -> list[str]:
    return _sqlite_triggers(
        table, lambda row: f"INSERT INTO core_dataversion (scope, number) SELECT {NATIONAL}, 1 WHERE 1 {_SQLITE_UPSERT}"
    )


def install(
    schema_editor,
    *,
    own: tuple[str, ...] = (),
    links: tuple[tuple[str, str, str], ...] = (),
    national: tuple[str, ...] = (),
) -> None:
    """Create the version triggers on these tables (see the module's docstring)."""
    vendor = schema_editor.connection.vendor
    statements: list[str] = []
    if vendor == "postgresql":
        statements.append(_PG_FUNCTIONS)
        for table in own:
            statements.append(
                f'CREATE TRIGGER "{_name(table)}" AFTER INSERT OR UPDATE OR DELETE ON "{table}" '
                "FOR EACH ROW EXECUTE FUNCTION wb_dv_own()"
            )
        for table, column, owner in links:
            statements.append(
                f'CREATE TRIGGER "{_name(table)}" AFTER INSERT OR UPDATE OR DELETE ON "{table}" '
                f"FOR EACH ROW EXECUTE FUNCTION wb_dv_link('{owner}', '{column}')"
            )
        for table in national:
            statements.append(
                f'CREATE TRIGGER "{_name(table)}" AFTER INSERT OR UPDATE OR DELETE ON "{table}" '
                "FOR EACH STATEMENT EXECUTE FUNCTION wb_dv_national()"
            )
    elif vendor == "sqlite":
        for table in own:
            statements += _sqlite_own(table)
        for table, column, owner in links:
            statements += _sqlite_link(table, column, owner)
        for table in national:
            statements += _sqlite_national(table)
    else:  # pragma: no cover - the project runs on these two
        raise NotImplementedError(f"Data version triggers for {vendor}")
    for statement in statements:
        schema_editor.execute(statement, params=None)


def uninstall(schema_editor, *, tables: tuple[str, ...]) -> None:
    """Drop the version triggers of these tables (the reverse of :func:`install`)."""
    vendor = schema_editor.connection.vendor
    for table in tables:
        if vendor == "postgresql":
            schema_editor.execute(f'DROP TRIGGER IF EXISTS "{_name(table)}" ON "{table}"', params=None)
        else:
            for op in ("insert", "update", "delete"):
                schema_editor.execute(f'DROP TRIGGER IF EXISTS "{_name(table)}_{op}"', params=None)
