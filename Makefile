# myhoi — two commands: `make run` and `make test`. Everything else is set-up they share.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
export DEBUG ?= 1
export DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/myhoi

.PHONY: run test setup venv messages e2e browser bench loadtest clean mutation

run: setup
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver 127.0.0.1:8000

test: setup browser
	$(PY) -m pytest $(PYTEST_ARGS)

# The browser journeys alone (tests/e2e); here a missing browser is an error, not a skip.
e2e: setup browser
	MYHOI_E2E_REQUIRED=1 $(PY) -m pytest tests/e2e -m e2e $(PYTEST_ARGS)

# Debian's chromium drives the journeys (Playwright never downloads a browser of its own).
# Best effort: when it cannot be installed, `make test` still runs and the journeys say why they skipped.
browser:
	@test -x /usr/bin/chromium || ! command -v apt-get >/dev/null || { \
		echo "chromium not found: installing Debian's chromium for the browser journeys"; \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null 2>&1 || \
		{ apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null 2>&1; } || \
		echo "chromium could not be installed: the browser journeys (tests/e2e) will be skipped"; }

setup: venv messages
	@$(PY) manage.py ensure_database
	$(PY) manage.py migrate --noinput

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) not found: install Python 3.11 (or set PYTHON=...)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

# Translations are compiled from the .po files in the tree (GNU gettext's msgfmt).
messages: venv
	@command -v msgfmt >/dev/null || { echo "msgfmt not found: installing gettext"; apt-get install -y -qq gettext >/dev/null; }
	$(PY) manage.py compilemessages --ignore=.venv --verbosity=0

# Load and fault test: gunicorn (production settings) on 127.0.0.1:8150, 32 connections for 30 s,
# PostgreSQL restarted during the load. LOADTEST_ARGS="--duration 10 --connections 8" to shorten.
loadtest: setup
	$(PY) scripts/loadtest.py $(LOADTEST_ARGS)

clean:
	rm -rf $(VENV) staticfiles mutants

# Mutation testing of the rule modules (mutmut 3; scope and test modules in setup.cfg [mutmut]), one
# worker, niced; not part of `make test`. Its own test database (test_<name>_mutation), kept between
# mutants. Figures per module at the end; docs/mutation.md explains them. A run takes 10–20 minutes (742 mutants).
# MUTATION_ARGS="apps.core.periods*" to retest some mutants only.
mutation: venv messages
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-mutation.txt
	DATABASE_URL=$(DATABASE_URL)_mutation nice -n 10 $(VENV)/bin/mutmut run --max-children 1 $(MUTATION_ARGS)
	$(PY) scripts/mutation_report.py

# Issue 7: time and peak memory of importing 10,000 people, ours vs django-import-export defaults.
.PHONY: bench-import
bench-import: venv
	$(PY) scripts/bench_import.py $(BENCH_ARGS)

# Issue 9: province-scale benchmark. Builds or tops up myhoi_bench (seed_bench --wards 100) and the
# 10-person growth baseline myhoi_bench_small, measures, writes docs/benchmarks.md.
# BENCH_RUN_ARGS="--runs 10 --only list_police,detail" to shorten.
bench: venv messages
	$(PY) scripts/bench.py $(BENCH_RUN_ARGS)
