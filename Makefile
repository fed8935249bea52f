# Antikor Learn. `make run` and `make test` set everything up on a fresh machine.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
SERVANTS ?= 300
BENCH_USERS ?= 300
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/antikor_bench_make

.PHONY: run setup test lint format check migrate demo bench bench-dashboard screenshots messages clean

# python-ldap (directory sign-in) is built from source: it needs the OpenLDAP and SASL headers, on Debian
# `apt-get install libldap2-dev libsasl2-dev` (the directory tests also use `slapd ldap-utils`).
LDAP_HINT := If the error above is python-ldap failing to build (ldap.h or sasl/sasl.h not found): it needs \
	the OpenLDAP and SASL headers. On Debian/Ubuntu run: sudo apt-get install libldap2-dev libsasl2-dev \
	- then make again (README, Quick start).

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements-dev.txt || { echo; echo "$(LDAP_HINT)"; echo; exit 1; }
	touch $@

setup: $(VENV)/.installed

# The demo's public address: links in mails and .ics files, and the Wagtail Site (set by migrate), name the
# host and port the server runs on.
migrate demo run: export SITE_URL ?= http://$(HOST):$(PORT)

migrate: setup
	$(MANAGE) migrate --noinput

demo: migrate
	$(MANAGE) load_region
	$(MANAGE) load_plan
	$(MANAGE) demo_data --servants $(SERVANTS)

# The dev server, with the periodic jobs (finishing overdue sittings, mail, notices, reminders…) in a
# second process that stops with it.
run: demo
	$(MANAGE) run_schedule & schedule=$$!; trap "kill $$schedule" EXIT INT TERM; \
		$(MANAGE) runserver $(HOST):$(PORT)

# In two processes (pytest-xdist; config/settings/test.py gives each its own folders and Redis database,
# pytest-django its own test database). TEST_WORKERS=0 runs it in one process.
TEST_WORKERS ?= 2

test: setup
	DJANGO_SETTINGS_MODULE=config.settings.test $(VENV)/bin/pytest -n $(TEST_WORKERS) --durations=30

check: setup
	DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) check
	DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) makemigrations --check --dry-run
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

lint: check

format: setup
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: setup
	$(PY) benchmarks/campaign_load.py --users $(BENCH_USERS) --think-min 1 --think-max 3 --ramp 10 \
		--server gunicorn --db-pool 20 --duration-limit 300 --database-url $(BENCH_DATABASE_URL)

bench-dashboard: setup
	rm -f /tmp/antikor-dashboard-bench.sqlite3
	$(PY) benchmarks/dashboard.py --database-url sqlite:////tmp/antikor-dashboard-bench.sqlite3

screenshots: setup
	SCREENSHOTS=1 REQUIRE_BROWSER=1 CHROMIUM_PATH=$${CHROMIUM_PATH:-/usr/bin/chromium} \
		DJANGO_SETTINGS_MODULE=config.settings.test $(VENV)/bin/pytest tests/browser -q -p no:cacheprovider

# Russian plural forms (locale/ru/LC_MESSAGES/django.po → .mo; commit both). Needs gettext's msgfmt.
messages:
	msgfmt --check -o locale/ru/LC_MESSAGES/django.mo locale/ru/LC_MESSAGES/django.po
	msgfmt --check -o locale/ru/LC_MESSAGES/djangojs.mo locale/ru/LC_MESSAGES/djangojs.po

clean:
	rm -rf $(VENV) var db.sqlite3
