#!/usr/bin/env bash
# Run a command against a throw-away PostgreSQL server on loopback.
# PostgreSQL refuses to run as root, so the server runs as the `postgres` user.
set -euo pipefail

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bindir" ]; then
  echo "PostgreSQL is not installed (run: make system-deps)" >&2
  exit 1
fi
port=${PGTEST_PORT:-55432}
if [ -z "${PGTEST_PORT:-}" ]; then
  # Another server (a second test run, a benchmark) may hold the default port: take the next free one.
  while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
fi
datadir=$(mktemp -d /tmp/weerbaar-pg.XXXXXX)
as_pg=()
if [ "$(id -u)" = "0" ]; then
  chown postgres:postgres "$datadir"
  as_pg=(runuser -u postgres --)
fi

cleanup() {
  "${as_pg[@]}" "$bindir/pg_ctl" -D "$datadir" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$datadir"
}
trap cleanup EXIT

"${as_pg[@]}" "$bindir/initdb" -D "$datadir" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
if ! "${as_pg[@]}" "$bindir/pg_ctl" -D "$datadir" -l "$datadir/server.log" -w \
  -o "-h 127.0.0.1 -p $port -k $datadir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null; then
  cat "$datadir/server.log" >&2 || true
  exit 1
fi
"${as_pg[@]}" "$bindir/createdb" -h 127.0.0.1 -p "$port" -U postgres weerbaar

export DATABASE_URL="postgres://postgres@127.0.0.1:$port/weerbaar"
export BENCH_DATABASE_URL="$DATABASE_URL"  # the benchmarks in bench/ use only this one
echo "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
"$@"
