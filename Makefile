# Two commands a new user needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000
# The demo server runs with DEBUG on and the embedded SQLite database unless told otherwise,
# and may send webhooks to receivers on this machine (a partner trying them locally).
RUN_ENV := DEBUG=$${DEBUG:-1} WEBHOOK_ALLOWED_NETWORKS=$${WEBHOOK_ALLOWED_NETWORKS:-127.0.0.0/8,::1/128}

.PHONY: install run test lint format fixtures check-fixtures schema check-schema messages screenshots clean

# Compiled translations (.mo) are built from the committed catalogues (.po), not committed.
PO := $(wildcard incidents/locale/*/LC_MESSAGES/django.po config/locale/*/LC_MESSAGES/django.po)
MO := $(PO:.po=.mo)

install: $(STAMP) $(MO)

%.mo: %.po $(STAMP)
	$(VENV)/bin/pybabel compile --statistics -i $< -o $@

# Collect new strings into the catalogues (needs GNU gettext's xgettext); translate, then `make install`.
messages: install
	cd incidents && ../$(PY) ../manage.py makemessages --locale es --no-obsolete --add-location file

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: install
	$(RUN_ENV) $(PY) manage.py migrate --noinput
	$(RUN_ENV) $(PY) manage.py createcachetable
	$(RUN_ENV) $(PY) manage.py load_seed_fixtures
	$(RUN_ENV) $(PY) manage.py ensure_local_admin
	@echo ""
	@echo "  API:        http://$(HOST):$(PORT)/api/v1/figures/"
	@echo "  API docs:   http://$(HOST):$(PORT)/api/docs/  (Redoc: /api/redoc/)"
	@echo "  Admin:      http://$(HOST):$(PORT)/admin/"
	@echo "  Worker:     python manage.py db_worker (started)"
	@echo ""
	@# The task worker (webhook deliveries, large imports) runs beside the server and stops with it.
	$(RUN_ENV) $(PY) manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT; trap 'exit 130' INT TERM; \
	$(RUN_ENV) $(PY) manage.py runserver $(HOST):$(PORT)

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
