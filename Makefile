# Two commands a new user needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# What `install` installs, from the lock files in requirements/: `make run` only what running
# needs (RUN_STAMP), every other target (tests, lint, schema, CI) the development tools too.
RUN_STAMP := $(VENV)/.installed-run
DEV_STAMP := $(VENV)/.installed-dev
STAMP := $(if $(filter-out run,$(or $(MAKECMDGOALS),install)),$(DEV_STAMP),$(RUN_STAMP))
HOST ?= 127.0.0.1
PORT ?= 8000
# This checkout's development settings (DEBUG on, a key of its own, the embedded SQLite
# database, webhook receivers on this machine): written once, read by every command
# (config/local.py). Variables set in the environment win.
LOCAL := local/development.env

.PHONY: install run test lint format fixtures check-fixtures schema check-schema messages screenshots lock clean

# Compiled translations (.mo) are built from the committed catalogues (.po), not committed.
PO := $(wildcard incidents/locale/*/LC_MESSAGES/django.po config/locale/*/LC_MESSAGES/django.po)
MO := $(PO:.po=.mo)

install: $(STAMP) $(MO) $(LOCAL)

$(LOCAL):
	$(PYTHON) -m config.local $(LOCAL)

%.mo: %.po $(STAMP)
	$(VENV)/bin/pybabel compile --statistics -i $< -o $@

# Collect new strings into the catalogues (needs GNU gettext's xgettext); translate, then `make install`.
messages: install
	cd incidents && ../$(PY) ../manage.py makemessages --locale es --no-obsolete --add-location file

# The locked versions (hashes checked), then the project itself, editable, resolving nothing
# again; `pip check` fails on a dependency pyproject.toml names that the lock lacks (run
# `make lock`). A changed lock file or pyproject.toml installs again.
$(RUN_STAMP): requirements/run.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements/run.txt
	$(PY) -m pip install --quiet --no-deps -e .
	$(PY) -m pip check
	touch $@

$(DEV_STAMP): requirements/dev.txt $(RUN_STAMP)
	$(PY) -m pip install --quiet -r requirements/dev.txt
	touch $@

# Regenerate the lock files from pyproject.toml (pip-tools, in a throwaway virtualenv, on the
# Python CI runs: 3.11). Pins already there stay unless asked: UPGRADE="--upgrade-package
# django" moves one package, UPGRADE=--upgrade all of them. Then `make test`.
PIP_TOOLS := pip-tools==7.6.2
PIP_COMPILE = CUSTOM_COMPILE_COMMAND="make lock" "$$tools/bin/pip-compile" --quiet \
	--generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links $(UPGRADE)
lock:
	tools=$$(mktemp -d) && trap 'rm -rf "$$tools"' EXIT && \
	$(PYTHON) -m venv "$$tools" && "$$tools/bin/pip" install --quiet '$(PIP_TOOLS)' && \
	$(PIP_COMPILE) --extra redis -o requirements/run.txt pyproject.toml && \
	$(PIP_COMPILE) --extra redis --extra dev -c requirements/run.txt -o requirements/dev.txt pyproject.toml

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable
	$(PY) manage.py load_seed_fixtures
	$(PY) manage.py ensure_local_admin
	@echo ""
	@echo "  API:        http://$(HOST):$(PORT)/api/v1/"
	@echo "  API docs:   http://$(HOST):$(PORT)/api/docs/  (Redoc: /api/redoc/)"
	@echo "  Admin:      http://$(HOST):$(PORT)/admin/"
	@echo "  Worker:     .venv/bin/python manage.py db_worker (started)"
	@echo ""
	@# The task worker (webhook deliveries, large imports) runs beside the server and stops with it.
	$(PY) manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT; trap 'exit 130' INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

# The browser tests (tests/browser/) run when Debian's Chromium is installed (apt-get install chromium).
test: install
	$(PY) -m pytest

# Retake the screenshots in docs/screenshots/ (the browser tests take them when asked).
screenshots: install
	SCREENSHOTS=1 $(PY) -m pytest tests/browser -q

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Regenerate fixtures/ from seeds/ (deterministic: byte-identical on every run).
fixtures: install
	DEBUG=1 $(PY) manage.py build_seed_fixtures

check-fixtures: install
	DEBUG=1 $(PY) manage.py build_seed_fixtures --check

# The OpenAPI schema, committed as docs/openapi.yaml. Generated against a throwaway
# SQLite database, because filters list the vocabulary codes the database holds.
SCHEMA_DB := $(CURDIR)/$(VENV)/schema-check.sqlite3
SCHEMA_ENV := DEBUG=1 DATABASE_URL=sqlite:///$(SCHEMA_DB)

schema: install
	rm -f $(SCHEMA_DB)
	$(SCHEMA_ENV) $(PY) manage.py migrate --noinput -v0
	$(SCHEMA_ENV) $(PY) manage.py spectacular --validate --fail-on-warn --file docs/openapi.yaml
	rm -f $(SCHEMA_DB)

check-schema: install
	rm -f $(SCHEMA_DB)
	$(SCHEMA_ENV) $(PY) manage.py migrate --noinput -v0
	$(SCHEMA_ENV) $(PY) manage.py spectacular --validate --fail-on-warn --file $(SCHEMA_DB).yaml
	rm -f $(SCHEMA_DB)
	diff -u docs/openapi.yaml $(SCHEMA_DB).yaml || \
	  (echo "docs/openapi.yaml is out of date: run 'make schema'"; exit 1)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache $(MO)
