# The two commands of the README: `make demo` and `make test`. Both install what they need.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
ADDRPORT ?= 127.0.0.1:8000
# Tests run against the real services on this machine; override to point elsewhere.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/network_marketplace
TEST_REDIS_URL ?= redis://127.0.0.1:6379/1
PYTEST_WORKERS ?= 2

.PHONY: demo test install browser services lint format typecheck migrations-check check hooks lock messages clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.lock | $(BIN)/activate
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	touch $@

install: $(VENV)/.installed

# Debian's Chromium drives the browser tests (Playwright's own browser download cannot work here).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "Installing Debian's chromium for the browser tests"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-dejavu-core >/dev/null; \
	}

services:
	@bash scripts/ensure-services.sh

demo: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	@echo "Serving on http://$(ADDRPORT)/ (Ctrl-C to stop)"
	$(PY) manage.py serve_embedded $(ADDRPORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Types of the money code and the shared infrastructure ([tool.mypy] in pyproject.toml); the
# cache in .mypy_cache makes a second run take seconds.
typecheck: install
	$(BIN)/mypy

# Every model change has its migration; no database needed.
migrations-check: install
	$(PY) manage.py makemigrations --check --dry-run

# What CI and the pre-commit hooks check before the tests: lint, layers, migrations, types.
check: lint migrations-check typecheck
	$(BIN)/lint-imports

# Run `make check`'s steps before each commit (ruff, import-linter, migrations, mypy).
hooks: install
	$(BIN)/pre-commit install

# Each run keeps its cache entries (rate-limit counters) under its own prefix in the shared Redis.
test: install browser services check
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} REDIS_URL=$${REDIS_URL:-$(TEST_REDIS_URL)} \
		CACHE_KEY_PREFIX=test-$$(date +%s%N) $(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# Regenerate the pinned versions from pyproject.toml's ranges.
lock: install
	$(PY) -m pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --strip-extras --extra test --output-file requirements.lock pyproject.toml

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles artifacts

# Refresh the French catalogue after changing strings: add new ones to scripts/translations_fr.py.
messages: install
	$(PY) manage.py makemessages -l fr --no-obsolete --ignore=.venv --ignore=tests --ignore=bench --ignore=artifacts --ignore=scripts
	$(PY) scripts/translate.py
