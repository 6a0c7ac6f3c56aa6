# The README's two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
RASA_VENV := .venv-rasa
APP := $(VENV)/bin
export PATH := $(CURDIR)/$(APP):$(PATH)

.PHONY: setup run test test-fast bench train doctor lock prereqs clean

prereqs:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] >= (3, 11) else 1)' || \
	  { echo "error: Python 3.11+ is needed as '$(PYTHON)' (found: $$($(PYTHON) --version 2>&1))"; exit 1; }
	@$(PYTHON) -c 'import venv, ensurepip' 2>/dev/null || \
	  { echo "error: Python's venv module is missing: install it (Debian: apt-get install python3-venv)"; exit 1; }

$(VENV)/.installed: requirements/app.lock requirements/dev.lock pyproject.toml | prereqs
	$(PYTHON) -m venv $(VENV)
	$(APP)/pip install -q -r requirements/app.lock -r requirements/dev.lock
	$(APP)/pip install -q --no-deps -e .
	touch $@

# Rasa 3.6 declares Python <3.11 but runs on 3.11 when installed from the lock without a resolver.
$(RASA_VENV)/.installed: requirements/rasa.lock | prereqs
	$(PYTHON) -m venv $(RASA_VENV)
	$(RASA_VENV)/bin/pip install -q --no-deps --ignore-requires-python -r requirements/rasa.lock
	touch $@

setup: $(VENV)/.installed $(RASA_VENV)/.installed

# RUN_ARGS, e.g. "--gateways 2 --rasa-replicas 2" (PostgreSQL + Redis): see README "What runs".
run: setup
	$(APP)/assistant run $(RUN_ARGS)

train: setup
	$(APP)/assistant train

doctor: setup
	$(APP)/assistant doctor

test: setup lint
	$(APP)/python -m pytest $(PYTEST_ARGS)

# Lint, formatting and types (mypy --strict on assistant/ and actions/, configured in
# pyproject.toml): the same checks CI runs before the suite.
.PHONY: lint
lint: setup
	$(APP)/ruff check .
	$(APP)/ruff format --check .
	$(APP)/mypy

# Unit, store and action tests only: no model training, no servers.
test-fast: setup
	$(APP)/python -m pytest -m "not e2e and not slow and not fuzz" $(PYTEST_ARGS)

# The fuzz tests alone (they also run in `make test`): schemathesis over the OpenAPI document.
.PHONY: fuzz
fuzz: setup
	$(APP)/python -m pytest tests/fuzz $(PYTEST_ARGS)

# Speed and memory figures for the per-message path (printed, never asserted).
bench: setup
	$(APP)/python -m bench

lock:
	$(PYTHON) -m pip install -q uv
	uv pip compile --python-version 3.10 --override requirements/rasa-overrides.txt requirements/rasa.in -o requirements/rasa.lock
	uv pip compile --python-version 3.11 requirements/app.in -o requirements/app.lock
	cd requirements && uv pip compile --python-version 3.11 dev.in -o dev.lock

clean:
	rm -rf $(VENV) $(RASA_VENV) models results .pytest_cache
