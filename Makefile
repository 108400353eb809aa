# Minzheng — two commands: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/test
PERSONS ?= 20000
SEED ?= 2024
PORT ?= 8000

.PHONY: run test venv assets chromium fonts lint serve test-sqlite test-postgres

venv: $(VENV)/.installed
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev,spark]'
	touch $@

assets: node_modules/.installed
node_modules/.installed: package.json
	npm install --no-audit --no-fund --loglevel=error
	touch $@

## A Chinese font for PDF documents (decision letters, reports)
CJK_FONT := /usr/share/fonts/truetype/wqy/wqy-microhei.ttc
fonts:
	@test -f $(CJK_FONT) || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-microhei >/dev/null)

## make run: install, migrate SQLite, load the demo district, print logins, serve on :$(PORT) (make run PORT=8001)
## with a background jobs worker next to the web server (stopped when the server stops; ADR 0017)
run: venv assets fonts
	mkdir -p var/static
	$(PY) manage.py migrate --noinput
	PORT=$(PORT) $(PY) manage.py demo_setup --persons $(PERSONS) --seed $(SEED)
	$(PY) manage.py worker --no-reload --verbosity 1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	$(PY) manage.py runserver --noreload 127.0.0.1:$(PORT)

## Debian's Chromium for the browser tests (never `playwright install`)
chromium:
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports --no-logo
	DATABASE_URL=sqlite://:memory: $(PY) manage.py makemigrations --check --dry-run --settings=config.settings.test

test-sqlite: venv
	env -u DATABASE_URL $(PY) -m pytest

## the PostgreSQL run: the platform only (policy/tests is pure Python, no database: run once, on SQLite)
test-postgres: venv
	@if [ -n "$$DATABASE_URL" ]; then url="$$DATABASE_URL"; \
	elif $(PY) -c "import socket; socket.create_connection(('127.0.0.1', 5432), 2)" 2>/dev/null; then url="$(PG_TEST_URL)"; \
	else echo "PostgreSQL: no DATABASE_URL and no server on 127.0.0.1:5432 — skipped"; exit 0; fi; \
	echo "== PostgreSQL run ($${url%%@*}@…) =="; DATABASE_URL="$$url" $(PY) -m pytest minzheng

## make test: install test needs, lint, then the suite on SQLite and on PostgreSQL (if available) side
## by side — one process each on the two cores, each run's output printed whole when it ends (-Otarget)
test: venv assets chromium fonts lint
	MINZHENG_REQUIRE_BROWSER=1 $(MAKE) --no-print-directory -j2 -Otarget test-sqlite test-postgres
