# Miasto — `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv/bin
SCALE ?= city
SEED ?= 2026
HOST ?= 127.0.0.1
PORT ?= 8000
# pytest-xdist workers for `make test`: auto = one per CPU core; 0 runs the tests in one process
PYTEST_WORKERS ?= auto

.PHONY: help demo setup serve test lint format messages bench democity-large clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

setup: ## Install OS packages, database, .venv, front end; migrate (idempotent)
	@MAKE_TARGET=setup scripts/provision.sh

demo: ## Set everything up, generate the demo city if missing, and serve at http://127.0.0.1:8000
	@MAKE_TARGET=demo scripts/provision.sh
	@$(VENV)/miasto demo-city --scale $(SCALE) --seed $(SEED) --if-missing
	@$(VENV)/miasto demo-plans --if-missing
	@$(VENV)/miasto demo-problems --if-missing
	@$(VENV)/miasto demo-surveys --if-missing
	@$(VENV)/miasto demo-advertising --if-missing
	@$(VENV)/miasto accessibility --if-missing
	@$(VENV)/miasto demo-users
	@$(VENV)/miasto demo-proposals --if-missing
	@$(VENV)/miasto demo-alerts --if-missing
	@$(VENV)/miasto demo-consultations --if-missing
	@$(VENV)/miasto demo-advertising-cases --if-missing
	@$(MAKE) --no-print-directory serve

serve: ## Serve the app (gunicorn + job worker) at http://$(HOST):$(PORT)
	@HOST=$(HOST) PORT=$(PORT) scripts/serve.sh

test: ## Set up (with Chromium), then lint, check migrations and run every test in parallel (PYTEST_WORKERS=0: in one process)
	@MAKE_TARGET=test scripts/provision.sh --with-browser
	$(VENV)/ruff check src tests bench
	$(VENV)/ruff format --check src tests bench
	PYTHONPATH=src $(VENV)/lint-imports
	node_modules/.bin/eslint .
	PYTHONPATH=src $(VENV)/mypy
	$(VENV)/miasto makemigrations --check --dry-run
	$(VENV)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

lint: ## ruff lint and format check, import contracts (layers: docs/architecture.md), mypy, eslint
	$(VENV)/ruff check src tests bench
	$(VENV)/ruff format --check src tests bench
	PYTHONPATH=src $(VENV)/lint-imports
	node_modules/.bin/eslint .
	PYTHONPATH=src $(VENV)/mypy

format: ## ruff format and autofix
	$(VENV)/ruff check --fix src tests bench
	$(VENV)/ruff format src tests bench

messages: ## Update the Polish/English translation catalogues (each app's own, for the languages it has)
	@set -e; for locale in src/miasto/*/locale; do \
		app=$$(dirname $$locale); langs=$$(ls $$locale | sed 's/^/-l /' | tr '\n' ' '); \
		echo "==> $$app: $$langs"; \
		(cd $$app && $(CURDIR)/$(VENV)/miasto makemessages $$langs --no-obsolete -i 'static/*' -v0); \
		if ls $$locale/*/LC_MESSAGES/djangojs.po >/dev/null 2>&1; then \
			(cd $$app && $(CURDIR)/$(VENV)/miasto makemessages -d djangojs $$langs --no-obsolete -i 'static/*' -v0); \
		fi; \
	done

bench: ## Benchmarks on the large city (generated if missing): spine API, data hub, planning, OGC API vs pygeoapi/tipg; writes bench/RESULTS.md
	@MAKE_TARGET=bench scripts/provision.sh
	$(VENV)/python bench/run.py
	$(VENV)/python bench/datahub.py
	$(VENV)/python bench/planning.py
	$(VENV)/python bench/ogcapi.py
	$(VENV)/python bench/problems.py
	$(VENV)/python bench/alerts.py
	$(VENV)/python bench/consultations.py
	$(VENV)/python bench/advertising.py

clean: ## Remove build output (keeps the database)
	rm -rf src/miasto/web/static/web/dist var/static test-artifacts .pytest_cache
