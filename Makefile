# somegov: the two commands of the Quick start are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# Development defaults; the environment (or .env) overrides them.
export DEBUG ?= true
export DJANGO_ALLOW_ASYNC_UNSAFE := true

.PHONY: run test bench setup deps assets messages lint lock collectstatic clean

# DEMO=esimerkkila: the invented, bilingual City of Esimerkkilä instead of Suomussalmi, in Finnish, Swedish and
# English, in its own SQLite file (a database holds one demo; unless DATABASE_URL is set in the environment).
DEMO ?= suomussalmi
ifeq ($(DEMO),esimerkkila)
run: export LANGUAGES := fi,sv,en
run: export DATABASE_URL ?= sqlite:///$(CURDIR)/db-esimerkkila.sqlite3
endif

run: setup ## install, migrate, load the demo (with the 2016 guideline) and serve on http://127.0.0.1:8000
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_demo --organisation $(DEMO)
	@echo "Serving the portal on http://$(HOST):$(PORT)/ (Ctrl-C stops)"
	$(PY) manage.py runserver $(HOST):$(PORT)

# The suite runs in parallel, one pytest-xdist worker per core; WORKERS=0 runs it in one process (for --pdb).
# Each worker has its own test database (SQLite in memory; test_<name>_gw0, _gw1... on PostgreSQL), cache
# (local memory), live server port and Chromium, so no test needs to be kept apart. (xdist_group marks would
# not help: pytest-xdist 3.8's --dist loadgroup renames item._nodeid, which pytest 9.2 no longer reads.)
# The static checks come first: ruff, the import layers (lint-imports), the migration check.
WORKERS ?= auto
test: setup ## the same set-up, then lint, the layers, migration check and the whole test suite
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	SECRET_KEY=makemigrations-check $(PY) manage.py makemigrations --check --dry-run
	SECRET_KEY=test-only-secret-key DEBUG=false $(PY) -m pytest -n $(WORKERS) $(ARGS)

# A fresh database (a /tmp SQLite file, or <name>_run beside DATABASE_URL's PostgreSQL database), never yours.
SCALE ?= 1
bench: setup ## performance benchmark at SCALE x 20 000 channels (docs/performance.md); SCALE=0.1 is quick
	$(PY) scripts/bench.py --scale $(SCALE) $(ARGS)

setup: deps assets messages

deps: $(VENV)/.installed
$(VENV)/.installed: requirements.lock
	@if [ -f $@ ] && [ "$$(cat $@)" = "$$(sha256sum requirements.lock)" ]; then touch $@; else \
	  (test -x $(PY) || $(PYTHON) -m venv $(VENV)) && $(PY) -m pip install --quiet --upgrade pip \
	  && $(PY) -m pip install --quiet -r requirements.lock && sha256sum requirements.lock > $@; fi

# npm ci runs only when package-lock.json's content changed (not its date: a fresh checkout is newer).
assets: node_modules/.somegov-lock static/build/suomifi-tokens.css
node_modules/.somegov-lock: package-lock.json
	@if [ -f $@ ] && [ "$$(cat $@)" = "$$(sha256sum package-lock.json)" ]; then touch $@; \
	else npm ci --no-audit --no-fund --loglevel=error && sha256sum package-lock.json > $@; fi
static/build/suomifi-tokens.css: scripts/build-tokens.mjs node_modules/.somegov-lock
	node scripts/build-tokens.mjs

messages: deps ## compile the translations (.po -> .mo)
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v0

lint:
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

lock: ## refresh requirements.lock from pyproject.toml
	$(PYTHON) -m venv /tmp/somegov-lock && /tmp/somegov-lock/bin/pip install --quiet '.[dev]' \
	  && /tmp/somegov-lock/bin/pip freeze --exclude somegov > requirements.lock && rm -rf /tmp/somegov-lock

collectstatic: setup
	SECRET_KEY=collectstatic DEBUG=false $(PY) manage.py collectstatic --no-input -v0

clean:
	rm -rf $(VENV) node_modules static/build staticfiles db.sqlite3
