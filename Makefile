# StoneBridge: the habits of the project in one place.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
AREA ?=
PG_URL ?= postgres://postgres@127.0.0.1:5432/stonebridge

.PHONY: install demo test test-pg fuzz fuzz-pg system-deps node-deps lint format migrations-check messages bench mutation screenshots load faults load-smoke

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed stonebridge/locale/zh_Hans/LC_MESSAGES/django.mo

stonebridge/locale/zh_Hans/LC_MESSAGES/django.mo: stonebridge/locale/zh_Hans/LC_MESSAGES/django.po $(VENV)/.installed
	$(PY) -c "import polib; polib.pofile('$<').save_as_mofile('$@')"

# The demo: embedded SQLite in var/, a secret key and an audit key made once for this machine.
demo: install
	mkdir -p var
	test -f var/demo.env || $(PY) -c "import secrets; print('SECRET_KEY=' + secrets.token_urlsafe(50))" > var/demo.env
	grep -q '^AUDIT_KEY=' var/demo.env || $(PY) -c "import secrets; print('AUDIT_KEY=' + secrets.token_urlsafe(50))" >> var/demo.env
	grep -q '^WORKER_REF_KEY=' var/demo.env || $(PY) -c "import secrets; print('WORKER_REF_KEY=' + secrets.token_urlsafe(50))" >> var/demo.env
	grep -q '^FIELD_ENCRYPTION_KEY=' var/demo.env || $(PY) -c "from cryptography.fernet import Fernet; print('FIELD_ENCRYPTION_KEY=' + Fernet.generate_key().decode())" >> var/demo.env
	set -a && . ./var/demo.env && set +a && export HTTPS=false SITE_URL=http://127.0.0.1:$(PORT) && \
	  $(PY) manage.py migrate --verbosity 0 && \
	  $(PY) manage.py collectstatic --noinput --verbosity 0 && \
	  $(PY) manage.py seed_demo && \
	  { $(PY) manage.py db_worker --no-reload --verbosity 0 & trap "kill $$! 2>/dev/null" EXIT; \
	    $(PY) manage.py runserver --noreload 127.0.0.1:$(PORT); }

# Browser tests need Debian's Chromium and a CJK font, the catalogue test gettext, the
# accessibility test npm (for axe-core); only the missing ones are installed (as root), since
# asking for one already there from another source can make apt refuse them all.
system-deps:
	@need=""; \
	[ -x /usr/bin/chromium ] || need="$$need chromium"; \
	fc-list 2>/dev/null | grep -q 'Noto Sans CJK' || need="$$need fonts-noto-cjk"; \
	command -v xgettext >/dev/null || need="$$need gettext"; \
	command -v pdftoppm >/dev/null || need="$$need poppler-utils"; \
	command -v npm >/dev/null || need="$$need npm"; \
	if [ -n "$$need" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$need >/dev/null; \
	  else echo "Install$$need for the browser tests."; fi; \
	fi

# axe-core, which the accessibility test injects into every page, at the version package-lock.json pins.
node-deps: node_modules/.package-lock.json

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --silent

test: install system-deps node-deps
	$(PY) -m pytest $(PYTEST_ARGS)

test-pg: install system-deps node-deps
	DATABASE_URL=$(PG_URL) $(PY) -m pytest --create-db $(PYTEST_ARGS)

# Schemathesis over the whole API, at most 20 requests per operation, on each database; a run
# longer than 10 minutes fails.
FUZZ := timeout 600 $(PY) -m pytest tests/test_api_fuzz.py -m api_fuzz -p no:randomly --durations=1

fuzz: install
	$(FUZZ) $(PYTEST_ARGS)

fuzz-pg: install
	DATABASE_URL=$(PG_URL) $(FUZZ) --create-db $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrations-check: install
	$(PY) manage.py makemigrations --check --dry-run

# Refresh the catalogue after changing user-visible strings, then translate what is new.
messages: install
	SECRET_KEY=messages AUDIT_KEY=messages WORKER_REF_KEY=messages FIELD_ENCRYPTION_KEY=bWVzc2FnZXMtb25seS1ub3QtYS1zZWNyZXQtYXQtYWw= SITE_URL=http://localhost $(PY) manage.py makemessages --locale zh_Hans --no-obsolete --no-location \
	  --ignore '.venv/*' --ignore 'tests/*' --ignore 'bench/*' --ignore 'mutants/*'

# Every area (or AREA=...) on SQLite and on PostgreSQL (BENCH_PG_URL; BENCH_DBS=sqlite for one),
# each area in a fresh database; BENCH_FACILITIES=20000 for a quicker look than 100,000.
BENCH_PG_URL ?= postgres://postgres@127.0.0.1:5432/stonebridge_bench
BENCH_DBS ?= sqlite postgresql
bench: install
	@set -e; for db in $(BENCH_DBS); do \
	  if [ "$$db" = sqlite ]; then env -u DATABASE_URL $(PY) -m bench $(AREA); \
	  else DATABASE_URL=$(BENCH_PG_URL) $(PY) -m bench $(AREA); fi; \
	done

# Mutation testing of the pure modules (risk scoring, red flags, credit codes, names): the share
# of mutants their tests kill, per module, and the survivors. Long, so not part of CI.
mutation: install
	$(PY) -m bench.mutation

# The README's pictures in docs/, from a fresh demo in a throwaway database (not run in CI).
screenshots: install system-deps
	$(PY) docs/screenshots.py

# The production shape under load (bench/load/): its own PostgreSQL 15 cluster `load` on port 5433
# (never the machine's 5432), gunicorn with 4 workers on 127.0.0.1, Redis db 7, one task worker,
# the demo plus the 100,000-facility chain, and Locust headless. LOAD_USERS, LOAD_MINUTES,
# LOAD_FACILITIES scale it down. They need the installed venv but do not re-install it (PY=...
# points at another), and stop the cluster however they end.
LOAD_STOP := trap 'pg_ctlcluster 15 $${LOAD_CLUSTER:-load} stop -m fast 2>/dev/null || true' EXIT
load:
	$(LOAD_STOP); $(PY) -m bench.load load

# The same harness with faults: the worker killed during an import and a risk recompute,
# PostgreSQL restarted mid-run; `fault.*` lines, non-zero exit when a check fails.
faults:
	$(LOAD_STOP); $(PY) -m bench.load faults

# CI's short version (about 3 minutes): 1,000 facilities, 20 users, one database restart.
load-smoke:
	$(LOAD_STOP); timeout 600 $(PY) -m bench.load smoke
