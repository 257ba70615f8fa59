# Weerbaar — two commands: `make run` and `make test`. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test setup deps system-deps lint test-sqlite test-postgres test-browser migrate demo messages bench clean serve backup restore

run: setup migrate demo ## Install, migrate, load demo data and serve on http://127.0.0.1:8000 (SQLite)
	@echo ""
	@echo "Weerbaar draait op http://$(HOST):$(PORT) — log in als coordinator@demostad.example / weerbaar-demo"
	$(MANAGE) runserver $(HOST):$(PORT)

# Production profile on one machine: migrate, cache table, collectstatic, then gunicorn
# (WEB_CONCURRENCY workers, default 2 x cores; WhiteNoise serves static files) with the
# background-job worker beside it. Needs SECRET_KEY and ALLOWED_HOSTS; see README.md.
serve: setup ## Production profile: gunicorn + task worker (WEERBAAR_ENV=production)
	PY=$(PY) scripts/serve.sh

# One file with the database and the uploaded files (see README: Back-up en terugzetten).
backup: setup ## Back-up in var/backups (or BACKUP_DIR=...)
	$(MANAGE) backup $(if $(BACKUP_DIR),--dir "$(BACKUP_DIR)")

# Into an empty installation of the same database kind; then migrate to this version.
restore: setup ## Restore BACKUP=<file> into an empty installation
	@test -n "$(BACKUP)" || { echo "Gebruik: make restore BACKUP=<bestand>" >&2; exit 2; }
	$(MANAGE) restore "$(BACKUP)"
	$(MANAGE) migrate --noinput

setup: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

migrate: setup
	$(MANAGE) migrate --noinput
	$(MANAGE) createcachetable

demo: setup
	$(MANAGE) load_demo

# Debian packages that the test suite needs: Chromium for the browser tests, PostgreSQL for
# the second database run, and the fonts/libraries WeasyPrint renders PDF with.
system-deps:
	@missing=""; \
	test -x /usr/bin/chromium || missing="$$missing chromium"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	if [ -n "$$missing" ]; then \
		echo "Installing:$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(MANAGE) makemigrations --check --dry-run
	$(MANAGE) check

test-sqlite: setup
	DATABASE_URL= $(VENV)/bin/pytest -m "not browser" -q

test-postgres: setup system-deps
	scripts/with-postgres.sh $(VENV)/bin/pytest -m "not browser" -q

test-browser: setup system-deps
	DJANGO_ALLOW_ASYNC_UNSAFE=true DATABASE_URL= $(VENV)/bin/pytest -m browser -q

test: setup system-deps lint test-sqlite test-postgres test-browser ## Lint, suite on SQLite and PostgreSQL, browser tests
	@echo "make test: all parts passed"

messages: setup
	cd src/weerbaar && ../../$(MANAGE) makemessages -l en --no-obsolete && ../../$(MANAGE) compilemessages -l en

bench: setup
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) node_modules staticfiles var
