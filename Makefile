# One task runner. `make run` and `make test` work on a fresh machine: they create .venv and install first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

export OMP_WAIT_POLICY ?= PASSIVE
export STREAMLIT_BROWSER_GATHER_USAGE_STATS ?= false

.PHONY: install run test lint format eval bench clean

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

install: $(INSTALLED)

run: $(INSTALLED)
	$(BIN)/assistant ingest
	$(BIN)/assistant serve

test: $(INSTALLED) lint
	$(BIN)/pytest

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(INSTALLED)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

eval: $(INSTALLED)
	$(BIN)/assistant eval

bench: $(INSTALLED)
	$(BIN)/assistant bench

clean:
	rm -rf $(VENV) data .pytest_cache .ruff_cache test-output
