# Ressourcerie numérique — everyday commands. See README.md.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
PG_URL ?= postgres://postgres@127.0.0.1:5432/ressourcerie
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run migrate demo worker test test-night test-pg test-browser test-api quality \
	imports bench clean prod-check backup restore soak

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

migrate: install
	$(MANAGE) migrate --noinput
	$(MANAGE) createcachetable

demo: migrate
	$(MANAGE) load_demo
	$(MANAGE) import_tools --quiet-rows
	$(MANAGE) load_directory_demo
	$(MANAGE) load_questionnaire
	$(MANAGE) load_fund_demo
	$(MANAGE) load_testimonials_demo
	$(MANAGE) load_toolbox_demo
	$(MANAGE) load_agenda_demo

## Serve the platform with demo data on http://127.0.0.1:8000 (SQLite, e-mails in var/outbox/).
run: demo
	TASKS_IMMEDIATE=$${TASKS_IMMEDIATE:-true} $(MANAGE) runserver $(HOST):$(PORT)

## Run background tasks (e-mails…) from the database queue.
worker: migrate
	$(MANAGE) db_worker

## The test suite on SQLite (browser tests excluded: see test-browser).
test: install
	$(PY) -m pytest -m "not browser" -n 2 --dist loadfile -q

## The SQLite suite at 23:30 UTC (00:30 or 01:30 in Paris): date bugs show in CI, not at night.
## Needs Debian's faketime (apt-get install faketime).
test-night: install
	TZ=UTC faketime -f "@$$(date -u +%F) 23:30:00" $(PY) -m pytest -m "not browser" -n 2 --dist loadfile -q

## The same suite on PostgreSQL (DATABASE_URL, default: local server, database "ressourcerie").
test-pg: install
	DATABASE_URL=$${DATABASE_URL:-$(PG_URL)} $(PY) -m pytest -m "not browser" -n 2 --dist loadfile -q

## Browser tests: Debian's Chromium through Playwright, axe-core, weight budgets. Two workers,
## each with its own live server, in-memory database and browser; tests spread one by one
## (loadgroup), test_harness.py's tests kept on one worker (its xdist_group).
test-browser: install
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest -m browser -q -n 2 --dist loadgroup tests/browser

## The live API fuzzed by schemathesis against its OpenAPI document (throwaway database, loopback).
test-api: install
	$(PY) tests/api/schemathesis_run.py

## Lint, format, Django checks, missing migrations, deployment checks.
quality: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) tools/check_code.py --imports
	$(VENV)/bin/lint-imports --no-cache
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run
	RESSOURCERIE_ENV=production DEBUG=false \
	  SECRET_KEY=quality-gate-only-0123456789abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJ \
	  ALLOWED_HOSTS=ressourcerie.example.org SITE_URL=https://ressourcerie.example.org \
	  LEGAL_PUBLISHER="Réseau exemple" LEGAL_ADDRESS="1 rue Exemple, Nantes" \
	  LEGAL_DIRECTOR="Prénom Nom" LEGAL_HOST="Hébergeur exemple" \
	  CONTACT_EMAIL=contact@ressourcerie.example.org \
	  $(MANAGE) check --deploy --fail-level WARNING

## Imports only go down: import-linter's contracts (pyproject.toml: core imports no other part,
## a domain part reaches another only through its services, selectors or registries) and no
## import inside a function (tools/check_code.py). Also part of `quality`.
imports: install
	$(VENV)/bin/lint-imports --no-cache
	$(PY) tools/check_code.py --imports ressourcerie

## Benchmarks at the scale each issue names (figures printed, no assertion).
bench: install
	@for script in bench/*.py; do \
	  case $$script in bench/soak.py|bench/throughput_wsgi.py) continue;; esac; \
	  echo "== $$script"; $(PY) $$script || exit 1; \
	done

## Soak: the production stack at half its capacity for 20 minutes (bench/soak.py; not in CI).
soak: install
	$(PY) bench/soak.py --minutes $(or $(MINUTES),20)

## Production drill: the stack of docs/deployment.md (PostgreSQL, gunicorn, db_worker, nginx
## with TLS and gzip) on loopback ports, a smoke crawl, then backup → restore → crawl again.
prod-check: install
	$(PY) deploy/prod_check.py

## Back up the configured database (pg_dump -Fc, or SQLite's online backup) and the media
## folder into BACKUP_DIR (default: backups/ in RESSOURCERIE_VAR_DIR, var/backups/ here).
## Run it with the production environment exported (docs/deployment.md §6).
backup: install
	$(MANAGE) backup $(if $(BACKUP_DIR),--output-dir "$(BACKUP_DIR)")

## Restore a backup: make restore FILE=var/backups/ressourcerie-….dump (or .sqlite3); the
## media archive of the same name comes with it. Stop the web and worker services first.
restore: install
	@test -n "$(FILE)" || { echo "make restore FILE=<sauvegarde .dump ou .sqlite3>"; exit 2; }
	$(MANAGE) restore "$(FILE)"

clean:
	rm -rf var/static var/ressourcerie.sqlite3*
