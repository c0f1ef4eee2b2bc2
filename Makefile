# 长三角人才交流 portal. `make run` serves the demo; `make test` runs the whole suite.
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c
# pip on some machines warns about unreachable extra indexes on every package; keep the output readable.
PIP_QUIET := 2>&1 | { grep -v 'is ignored: it is neither a file nor a directory' || true; }
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/talentfair
export REDIS_URL ?= redis://127.0.0.1:6379/0
# Development: debug on, the development key, local hosts. Production leaves it unset (off by default).
export DJANGO_DEBUG ?= 1
HOST ?= 127.0.0.1
PORT ?= 8000
# Links in mails and feeds point at the dev server as run (make run PORT=8001 → http://127.0.0.1:8001).
run demo: export SITE_URL ?= http://$(HOST):$(PORT)
SCALE ?= 1000000

.PHONY: run test lint format install services migrate demo bench bench-search bench-feeds bench-api bench-admin bench-load messages browser clean

$(BIN)/activate: requirements.txt requirements-dev.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip $(PIP_QUIET)
	$(BIN)/pip install --quiet -r requirements-dev.txt $(PIP_QUIET)
	touch $(BIN)/activate

install: $(BIN)/activate

services:
	@scripts/services.sh

migrate: install services
	$(BIN)/python scripts/createdb.py
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py seed_moderation_demo
	FEEDS_ALLOWED_HOSTS=$(HOST):$(PORT) $(BIN)/python manage.py feeds_demo --url http://$(HOST):$(PORT)/

run: demo
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	@$(BIN)/python manage.py demo_logins --url http://$(HOST):$(PORT)/
	HOST=$(HOST) PORT=$(PORT) FEEDS_ALLOWED_HOSTS=$(HOST):$(PORT) $(BIN)/honcho start

browser:
	@scripts/ensure-chromium.sh

test: install services browser
	CACHE_KEY_PREFIX=test-$$$$ $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: install
	$(BIN)/python manage.py makemessages -l en --no-obsolete --ignore '.venv/*' --ignore 'tests/*' --ignore 'bench/*'
	$(BIN)/python manage.py compilemessages --ignore '.venv/*'

bench: bench-search bench-feeds bench-api bench-admin

bench-search: install services
	$(BIN)/python bench/search.py --scale $(SCALE)

bench-feeds: install services
	$(BIN)/python bench/feeds.py

bench-api: install services
	$(BIN)/python bench/api.py --scale $(SCALE)

bench-admin: install services
	$(BIN)/python bench/admin_changelists.py --scale $(or $(ADMIN_SCALE),100000)

# Throughput under gunicorn with wrk (apt-get install wrk): the demo catalogue unless LOAD_DATABASE_URL says otherwise.
bench-load: install services
	$(BIN)/python bench/load.py $(if $(LOAD_DATABASE_URL),--database-url $(LOAD_DATABASE_URL))

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache .mypy_cache .import_linter_cache
