# Two commands for a new user: `make run` and `make test`. Only Python 3.11 and make are needed.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint install translations demo migrate clean help

help:
	@echo "make run   - install, migrate, load the demo call and serve http://127.0.0.1:8000 (web, worker, beat)"
	@echo "make test  - run the whole test suite (ruff included: tests/test_lint.py)"
	@echo "make lint  - ruff only (ruff check --fix fixes what it can)"

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP) translations

translations: $(STAMP)
	@$(BIN)/python manage.py compile_translations

migrate: install
	@mkdir -p var
	$(BIN)/python manage.py migrate --noinput
	@# The shared cache's table (a migration creates it too; this covers a REDIS_URL removed later).
	$(BIN)/python manage.py createcachetable
	$(BIN)/python manage.py setup_roles

demo: migrate
	$(BIN)/python manage.py load_demo

run: demo
	@echo "Serving http://127.0.0.1:8000 (Ctrl-C stops web, worker and beat)"
	$(BIN)/honcho -f Procfile.dev start

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/python -m ruff check .

clean:
	rm -rf var/db.sqlite3 var/broker var/celerybeat-schedule* var/media var/private
