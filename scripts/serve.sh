#!/usr/bin/env bash
# The production profile on one machine: prepare the database and static files, then run
# gunicorn with the background-job worker beside it. `make serve` calls this; so does the test.
# Reads the usual environment (SECRET_KEY, DATABASE_URL, ALLOWED_HOSTS, ...); see README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PY:-.venv/bin/python}"
export WEERBAAR_ENV="${WEERBAAR_ENV:-production}"
export TASKS_BACKEND="${TASKS_BACKEND:-database}"
export PYTHONPATH="src${PYTHONPATH:+:$PYTHONPATH}"

"$PY" manage.py migrate --noinput
"$PY" manage.py createcachetable
"$PY" manage.py collectstatic --noinput --verbosity 0

worker_pid=""
gunicorn_pid=""
stop() {
	# Stop both, whichever way the script ends; gunicorn finishes its requests first (TERM).
	[ -n "$gunicorn_pid" ] && kill -TERM "$gunicorn_pid" 2>/dev/null || true
	[ -n "$worker_pid" ] && kill -TERM "$worker_pid" 2>/dev/null || true
	wait
}
trap stop EXIT
trap 'exit 0' TERM INT

if [ "$TASKS_BACKEND" = "database" ]; then
	"$PY" manage.py db_worker &
	worker_pid=$!
fi
"$(dirname "$PY")/gunicorn" -c python:weerbaar.gunicorn weerbaar.wsgi:application "$@" &
gunicorn_pid=$!
if [ "$TASKS_BACKEND" = "database" ]; then
	# The daily reminder job queues its own next run; this starts the chain (a no-op when one is
	# queued). After gunicorn started, so it does not delay serving; a failure here is not fatal.
	"$PY" manage.py send_reminders --schedule || true
	"$PY" manage.py send_circle_digests --schedule || true
fi
# Whichever stops first ends the other: a web server without its worker is not healthy.
wait -n
