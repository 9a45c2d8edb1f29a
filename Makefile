# SpendSense data service. `make run` serves the API; `make test` checks everything.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# The prefix of the PostgreSQL leg's databases: each run names its own
# $(TEST_PG_DB)__<run>_*, drops them, and tests/postgres.sh checks none is left.
TEST_PG_DB ?= spendsense_test
TEST_PG_URL ?= postgresql+asyncpg://postgres:postgres@127.0.0.1:5432/$(TEST_PG_DB)
# pytest-xdist workers; each gets its own migrated database (tests/utils/database.py).
TEST_WORKERS ?= 2

# make fuzz: schemathesis (every check) against a live server on each database,
# FUZZ_SECONDS per database.
FUZZ_SECONDS ?= 150
FUZZ_EXAMPLES ?= 100
FUZZ := FUZZ_MAX_SECONDS=$(FUZZ_SECONDS) FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/pytest -s tests/live/test_fuzz.py

.PHONY: install run migrate lint test test-sqlite test-postgres fuzz docker-smoke bench clean

install: $(VENV)/.installed

$(VENV)/.installed: requirements-dev.lock pyproject.toml
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python >= 3.11 needed"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

migrate: install
	$(BIN)/spendsense migrate

run: migrate
	$(BIN)/uvicorn app.main:app --host $(HOST) --port $(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy app tests

test-sqlite: install
	bash tests/browser.sh
	TEST_DATABASE_URL= $(BIN)/pytest -n $(TEST_WORKERS)

test-postgres: install
	bash tests/browser.sh
	bash tests/postgres.sh $(TEST_PG_DB) env TEST_DATABASE_URL=$(TEST_PG_URL) $(BIN)/pytest -n $(TEST_WORKERS)

test: lint test-sqlite test-postgres

fuzz: install
	TEST_DATABASE_URL= $(FUZZ)
	bash tests/postgres.sh $(TEST_PG_DB) env TEST_DATABASE_URL=$(TEST_PG_URL) $(FUZZ)

docker-smoke:
	bash tests/docker/smoke.sh

bench: install
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/read.py
	$(BIN)/python bench/recommendations.py
	$(BIN)/python bench/assess.py
	$(BIN)/python bench/recurring.py

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
