# Two commands do all the set-up on a fresh machine with Python 3.11 and make:
#   make run    install, migrate, load the Arabic demo data and serve http://127.0.0.1:8000
#   make test   install what the tests need, then lint, check the import layers and run the whole suite
#   make bench  the performance benchmark of the project pages, on PostgreSQL (see README)
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
ADDRESS ?= 127.0.0.1:8000

.PHONY: run test bench bench-ledger bench-alerts install install-dev translations lint format clean \
	prod-local prod-local-stop stack-test load

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when a requirements file changes.
$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

translations: $(VENV)/.installed
	$(BIN)/python manage.py compile_translations

run: install translations
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@echo "Serving on http://$(ADDRESS)/ — log in with the demo accounts above (password demo12345)."
	$(BIN)/python manage.py runserver $(ADDRESS)

test: install-dev translations
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/pytest

# The benchmark (docs/architecture.md, "Performance"): 100,000 projects, 1,000,000 offers, 100,000 services and
# 1,000,000 service orders generated once into a PostgreSQL
# database of its own (created if missing, then migrated), then server times and gunicorn throughput.
# DATABASE_URL names another database (its name must contain "bench"); BENCH_ARGS passes options,
# e.g. make bench BENCH_ARGS="--reset" or BENCH_ARGS="--projects 10000 --offers 100000 --reset".
BENCH_DATABASE_URL := postgres://postgres@127.0.0.1:5432/mostaql_bench
bench: install translations
	DATABASE_URL="$${DATABASE_URL:-$(BENCH_DATABASE_URL)}" $(BIN)/python manage.py bench $(BENCH_ARGS)

# The ledger benchmark (issue 4): transfers per second of ledger.post_transfer, single-threaded and
# with 4 worker processes, in a PostgreSQL database of its own (created if missing, then migrated).
# BENCH_LEDGER_DATABASE_URL names another one (its name must contain "bench"); BENCH_LEDGER_ARGS passes
# options, e.g. make bench-ledger BENCH_LEDGER_ARGS="--profile" or BENCH_LEDGER_ARGS="--mode threads".
BENCH_LEDGER_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/mostaql_bench_ledger
bench-ledger: install
	DATABASE_URL="$(BENCH_LEDGER_DATABASE_URL)" $(BIN)/python manage.py bench_ledger $(BENCH_LEDGER_ARGS)

# The saved searches' benchmark (issue 14): 1,000 new projects matched against 10k, 50k and 100k saved
# searches in one process, and the Atom feed's p50/p95; in a PostgreSQL database of its own.
BENCH_ALERTS_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/mostaql_bench_alerts
bench-alerts: install translations
	DATABASE_URL="$(BENCH_ALERTS_DATABASE_URL)" $(BIN)/python manage.py bench_alerts $(BENCH_ALERTS_ARGS)

# The production stack on this machine (deploy/prod_local.py): nginx on http://127.0.0.1:8080 →
# gunicorn → PostgreSQL (its own database, with the demo data), Redis for the cache, sessions and
# Celery, a Celery worker and beat; configs, logs and e-mails (as files) in .run/prod-local/.
prod-local: install translations
	$(BIN)/python deploy/prod_local.py start

prod-local-stop:
	$(BIN)/python deploy/prod_local.py stop

# The stack's checks through nginx (tests/stack): its own stack started, checked and stopped.
stack-test: install-dev translations
	deploy/stack_test.sh

# The load benchmark (deploy/locustfile.py) against the running `make prod-local` stack: visitors,
# freelancers and clients, LOAD_USERS at once for LOAD_SECONDS; prints requests/s and percentiles.
# Every simulated person signs in from 127.0.0.1: start the stack with a login limit to match, e.g.
#   RATE_LIMIT_LOGIN=10000/m/ip make prod-local && make load LOAD_USERS=200
LOAD_USERS ?= 50
LOAD_SECONDS ?= 30
load: install-dev
	$(BIN)/locust -f deploy/locustfile.py --headless --host http://127.0.0.1:8080 \
		--users $(LOAD_USERS) --spawn-rate $(LOAD_USERS) --run-time $(LOAD_SECONDS)s --only-summary

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) staticfiles media db.sqlite3 db.sqlite3-wal db.sqlite3-shm
