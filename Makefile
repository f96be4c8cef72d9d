# The verbs a newcomer types. `make run` and `make test` are the two that matter.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/sadok
# The demo serves an embedded SQLite file; tests always use PostgreSQL.
export SADOK_DEBUG ?= 1

.PHONY: run totp burst test machine lint types contracts pytest e2e fuzz bench messages clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

# The demo's stand-in for KyivID (kyivid_demo/, a development tool) on its own port.
KYIVID_PORT ?= 8001
IDP := DJANGO_SETTINGS_MODULE=kyivid_demo.settings $(BIN)/python manage.py

run: export SADOK_BASE_URL ?= http://$(HOST):$(PORT)
run: export KYIVID_ISSUER ?= http://$(HOST):$(KYIVID_PORT)
run: export KYIVID_CLIENT_ID ?= sadok-demo
run: export KYIVID_CLIENT_SECRET ?= sadok-demo-secret
run: $(STAMP)
	mkdir -p var
	$(BIN)/python manage.py migrate --no-input --verbosity 0
	$(BIN)/python manage.py load_demo_city
	$(BIN)/python manage.py schedule_deadlines
	$(BIN)/python manage.py collectstatic --no-input --verbosity 0
	$(IDP) migrate --no-input --verbosity 0
	$(IDP) kyivid_demo_setup --client-id "$$KYIVID_CLIENT_ID" --client-secret "$$KYIVID_CLIENT_SECRET" \
	  --redirect-uri "$$SADOK_BASE_URL/accounts/kyivid/login/callback/"
	@echo ""
	@echo "  Sadok is running at http://$(HOST):$(PORT)/  (Ctrl+C stops the server, the worker and KyivID)"
	@echo "  KyivID (demo stand-in) at $$KYIVID_ISSUER/: \"Увійти через KyivID\" on the login page"
	@echo ""
	@trap 'kill 0' EXIT INT TERM; \
	  $(BIN)/python manage.py db_worker --interval 1 & \
	  $(IDP) runserver --noreload $(HOST):$(KYIVID_PORT) & \
	  $(BIN)/python manage.py runserver --noreload $(HOST):$(PORT)

# The current second-factor code of a demo staff user: make totp EMAIL=head@demo.sadok.kyiv.ua
totp: $(STAMP)
	@$(BIN)/python manage.py demo_totp $(EMAIL)

# A burst of web writes against `make run` (running in another terminal) while its
# worker writes too: fails on any HTTP 5xx.
burst: $(STAMP)
	$(BIN)/python scripts/demo_burst.py http://$(HOST):$(PORT)

test: machine $(STAMP) lint types contracts pytest

# Chromium, a font and gettext from apt, and PostgreSQL running: installed when the
# machine lacks them and we may, else the one command to run (scripts/machine.sh).
machine:
	@scripts/machine.sh

lint: $(STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

types: $(STAMP)
	$(BIN)/mypy .

contracts: $(STAMP)
	$(BIN)/lint-imports

# The suite in TEST_WORKERS processes (pytest-xdist; CI has two cores), each test
# file whole in one of them (a module's fixtures, such as the replica's cluster, are
# made once). The API's schema cases (schemathesis) share one test id, which
# pytest-xdist would run once, so that file runs after, in one process.
TEST_WORKERS ?= 2
SCHEMA_TESTS := tests/opendata/test_api_schema.py
pytest: machine $(STAMP)
	@DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} $(BIN)/python -m sadok.dbcheck
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} $(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile \
	  --ignore $(SCHEMA_TESTS) --durations 10
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} $(BIN)/pytest $(SCHEMA_TESTS)

e2e: machine $(STAMP)
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} $(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile tests/e2e

# The property and state-machine tests with a much larger example budget than in
# `make test` (minutes, not seconds), and the bad-input sweep with more kinds of
# values, over the admin's pages too; and the open data API against its schema
# (schemathesis) with many more generated requests.
fuzz: $(STAMP)
	SADOK_FUZZ=1 DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} $(BIN)/pytest tests/offers/test_state_machine.py tests/queue/test_rule_sql.py tests/allocation tests/test_bad_input.py tests/opendata/test_api_schema.py

bench: $(STAMP)
	$(BIN)/python benchmarks/allocation.py
	$(BIN)/python benchmarks/delivery.py
	$(BIN)/python benchmarks/load.py

messages: $(STAMP)
	$(BIN)/python manage.py makemessages --locale en --ignore ".venv/*" --no-obsolete
	$(BIN)/python manage.py compilemessages --locale en --locale uk --ignore ".venv/*"

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache test-output
