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

.PHONY: demo test install browser test-servers gettext services lint format typecheck migrations-check check hooks lock messages clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.lock | $(BIN)/activate
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	touch $@

# French: locale/fr/LC_MESSAGES/django.po is the source, and the only catalogue file committed.
# Its django.mo is build output, compiled here (so by `make demo` and `make test` too, and by the
# Dockerfile) with polib, a pure-Python dependency of the project: a fresh clone gets French
# without installing gettext's msgfmt, and no merge ever has to reconcile two binary catalogues.
PO_FILES := $(wildcard locale/*/LC_MESSAGES/django.po locale/*/*/LC_MESSAGES/django.po)
MO_FILES := $(PO_FILES:.po=.mo)

%.mo: %.po | $(VENV)/.installed
	$(PY) scripts/compile_messages.py $<

install: $(VENV)/.installed $(MO_FILES)

# Debian's Chromium drives the browser tests (Playwright's own browser download cannot work here).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "Installing Debian's chromium for the browser tests"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-dejavu-core >/dev/null; \
	}

# The servers the tests start themselves: Debian's PgBouncer (transaction mode in front of the test
# database: tests/api_schema/test_through_pgbouncer.py, docs/database.md), and nginx and wrk for the
# two-host rehearsal (tests/bench/test_two_hosts.py, bench/two_hosts.py). Their Debian services are
# not started: the tests run their own on free ports.
TEST_SERVERS := /usr/sbin/pgbouncer /usr/sbin/nginx /usr/bin/wrk
test-servers:
	@missing=""; for f in $(TEST_SERVERS); do [ -x $$f ] || missing="$$missing $$(basename $$f)"; done; \
	[ -z "$$missing" ] || { \
		echo "Installing Debian's$$missing for the pooler and two-host tests"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	}

# gettext's xgettext and msgmerge extract the strings, for `make messages` and for the test that
# the French catalogue is up to date with the code (tests/test_translations.py).
gettext:
	@command -v xgettext >/dev/null 2>&1 || { \
		echo "Installing gettext for makemessages"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq gettext >/dev/null; \
	}

services:
	@bash scripts/ensure-services.sh

# The embedded profile, served as production serves it (DEBUG off, static files collected and
# served by whitenoise, the site's own error pages). The demo orders' e-mails, sent while loading,
# link to the address served; serve_embedded prints it and the demo mailbox's at the end.
demo: install
	$(PY) manage.py migrate --noinput
	SITE_URL=$${SITE_URL:-http://$(ADDRPORT)} $(PY) manage.py load_demo
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
test: install browser test-servers gettext services check
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} REDIS_URL=$${REDIS_URL:-$(TEST_REDIS_URL)} \
		CACHE_KEY_PREFIX=test-$$(date +%s%N) $(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# Regenerate the pinned versions from pyproject.toml's ranges.
lock: install
	$(PY) -m pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --strip-extras --extra test --output-file requirements.lock pyproject.toml

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles artifacts $(MO_FILES)

# After adding or changing a string: `make messages` brings it into django.po (msgmerge may offer a
# fuzzy French from a similar string), then write or check its French there (or in Poedit) and
# commit the .po. tests/test_translations.py fails on an untranslated or fuzzy message and on a .po
# behind the code, and reads MESSAGES_IGNORE from here. Locations name the file only, so code
# moving within a file leaves the catalogue alone.
MESSAGES_IGNORE := .venv tests bench artifacts scripts
messages: install gettext
	$(PY) manage.py makemessages -l fr --no-obsolete --add-location=file $(MESSAGES_IGNORE:%=--ignore=%)
	$(PY) scripts/compile_messages.py
