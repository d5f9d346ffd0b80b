# Interface: the two set-up commands are `make run` and `make test` (see README).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test lint format migrations-check worker beat bench clean

install: $(VENV)/.installed node_modules/.installed

# Only the dependencies from pyproject.toml: the app runs from the working tree (manage.py,
# pytest, lint-imports and `python -m celery` import it from here), and an editable install of
# the project itself makes setuptools warn on every fresh set-up.
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -c "import tomllib; p = tomllib.load(open('pyproject.toml', 'rb'))['project']; print('\n'.join(p['dependencies'] + p['optional-dependencies']['dev']))" > $(VENV)/requirements.txt
	$(PY) -m pip install --quiet -r $(VENV)/requirements.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

## Install, migrate, load the demo system and serve it at http://127.0.0.1:8000/
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@# The demo's own server: production runs gunicorn (docs/operations.md), so Django's
	@# "development server" notice would only be noise here.
	DJANGO_RUNSERVER_HIDE_WARNING=true $(PY) manage.py runserver $(HOST):$(PORT)

## Install and run the whole test suite (browser tests need Debian's chromium package)
test: install
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

migrations-check: install
	$(PY) manage.py makemigrations --check --dry-run

## A Celery worker and beat against CELERY_BROKER_URL (set it to a redis:// URL)
worker: install
	$(PY) -m celery -A interface worker --loglevel=info

beat: install
	$(PY) -m celery -A interface beat --loglevel=info

## Scale benchmark on the configured PostgreSQL (see docs/benchmarks.md)
bench: install
	$(PY) manage.py benchmark

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache .ruff_cache
