# One task runner. `make run` and `make test` work on a fresh machine: they create .venv and install first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

export OMP_WAIT_POLICY ?= PASSIVE
export STREAMLIT_BROWSER_GATHER_USAGE_STATS ?= false

.PHONY: install run test lint format eval bench clean

$(INSTALLED): pyproject.toml
	@echo "==> Creating the virtual environment in $(VENV)"
	$(PYTHON) -m venv $(VENV)
	@echo "==> Updating pip"
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	@echo "==> Installing Kompas and its dependencies (the first time takes a few minutes; pip shows each package)"
	@$(BIN)/python -m pip install --disable-pip-version-check --progress-bar off -e '.[test]' \
		| grep --line-buffered -E '^(Collecting|Successfully installed)' | cut -c1-100 || true
	@$(BIN)/python -c "import assistant" || { echo "error: the installation failed; run: $(BIN)/python -m pip install -e '.[test]'"; exit 1; }
	@echo "==> Installed"
	@touch $@

install: $(INSTALLED)

run: $(INSTALLED)
	@echo "==> Indexing the posts in corpus/"
	$(BIN)/assistant ingest
	@echo "==> Starting the web chat"
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
