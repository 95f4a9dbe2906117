# One task runner. `make run` and `make test` work on a fresh machine: they create .venv and install first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

export OMP_WAIT_POLICY ?= PASSIVE
# Some machines set PYTHONDONTWRITEBYTECODE: then every process (each test worker, each `assistant` and server a
# test starts, the web app) compiles llama-index, Chroma and Streamlit from source again. Empty means "write them".
export PYTHONDONTWRITEBYTECODE =
export STREAMLIT_BROWSER_GATHER_USAGE_STATS ?= false

.PHONY: install dictionaries run test test-fast lint format eval eval-embeddings llm-pending llm-replies bench bench-web clean

# uv installs the same packages as pip from the same registry, in seconds instead of minutes; pip stays the fallback.
# Bytecode is compiled at install: run outside make (`.venv/bin/assistant …`) on a machine that sets
# PYTHONDONTWRITEBYTECODE, every command would otherwise compile llama-index and Chroma again (about 4 s each).
# Copies, not uv's default hard links into its cache: nltk (under llama-index) refuses to open a file with more than
# one link ("Security Violation [pathsec.open]"), which broke the baseline's SentenceSplitter.
$(INSTALLED): pyproject.toml
	@echo "==> Creating the virtual environment in $(VENV)"
	$(PYTHON) -m venv $(VENV)
	@echo "==> Getting uv, a fast installer, from the package registry"
	@if $(BIN)/python -m pip install --quiet --disable-pip-version-check uv \
		&& echo "==> Installing Kompas and its dependencies with uv" \
		&& $(BIN)/uv pip install --link-mode=copy --compile-bytecode --python $(BIN)/python -e '.[test]'; then :; else \
		echo "==> uv could not be had or failed: installing with pip instead (the first time takes a few minutes)"; \
		$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip; \
		$(BIN)/python -m pip install --disable-pip-version-check --progress-bar off -e '.[test]' \
			| grep --line-buffered -E '^(Collecting|Successfully installed)' | cut -c1-100 || true; \
	fi
	@$(BIN)/python -c "import assistant" || { echo "error: the installation failed; run: $(BIN)/python -m pip install -e '.[test]'"; exit 1; }
	@echo "==> Installed"
	@touch $@

install: $(INSTALLED)

# FreeDict's English-Dutch dictionaries, from Debian: English questions are searched in Dutch words with them.
# They are GPL, so Kompas reads them from the system and never ships them; without them English questions are searched with their own words only.
DICTIONARIES := /usr/share/dictd/freedict-eng-nld.index /usr/share/dictd/freedict-nld-eng.index
DICTIONARY_PACKAGES := dict-freedict-eng-nld dict-freedict-nld-eng
dictionaries:
	@if ! ls $(DICTIONARIES) >/dev/null 2>&1; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "==> Installing FreeDict's English-Dutch dictionaries ($(DICTIONARY_PACKAGES))"; \
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(DICTIONARY_PACKAGES) >/dev/null 2>&1 \
				|| { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(DICTIONARY_PACKAGES) >/dev/null; } \
				|| echo "==> Could not install them: English questions are searched with their own words only"; \
		else \
			echo "==> No English-Dutch dictionaries: English questions are searched with their own words only" \
				"(sudo apt-get install $(DICTIONARY_PACKAGES) adds them)"; \
		fi; \
	fi

run: $(INSTALLED) dictionaries
	@echo "==> Indexing the posts in corpus/"
	$(BIN)/assistant ingest
	@echo "==> Starting the web chat"
	$(BIN)/assistant serve

# One test process per core (pytest-xdist), each taking whole modules, so that a module's fixture (the quality
# gate's evaluation, the browser tests' server) is built once. PYTEST_WORKERS=0 runs everything in one process.
PYTEST_WORKERS ?= auto
PYTEST := $(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadscope

test: $(INSTALLED) dictionaries lint
	$(PYTEST)

# The inner loop: everything but the tests marked slow (browsers, killed processes, servers, the quality gate).
test-fast: $(INSTALLED)
	$(PYTEST) -m "not slow"

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(INSTALLED)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

eval: $(INSTALLED)
	$(BIN)/assistant eval

# After a change to the posts or the chunker: the evaluation corpus's vectors, committed so CI need not embed them.
eval-embeddings: $(INSTALLED)
	$(BIN)/python -m assistant.evaluation.fixture_embeddings eval/fixtures

# The CI subset of recorded LLM replies (eval/recordings/README.md). llm-pending runs it and writes the requests
# its recordings lack to eval/recordings/ci/pending.jsonl (its tests fail for those, as they should);
# llm-replies REPLIES=FILE files a stand-in's replies to them. Repeat both until nothing is pending.
CI_RECORDINGS := eval/recordings/ci
llm-pending: $(INSTALLED)
	-$(BIN)/pytest -n 0 -q tests/answering/test_llm_recorded.py --llm-pending $(CI_RECORDINGS)/pending.jsonl
	@if [ -s $(CI_RECORDINGS)/pending.jsonl ]; then \
		echo "==> $$(wc -l < $(CI_RECORDINGS)/pending.jsonl) requests to record in $(CI_RECORDINGS)/pending.jsonl"; \
	else echo "==> nothing pending: every request of the CI subset is recorded"; fi

llm-replies: $(INSTALLED)
	@test -n "$(REPLIES)" || { echo "usage: make llm-replies REPLIES=replies.jsonl"; exit 1; }
	$(BIN)/assistant eval --recordings $(CI_RECORDINGS) --add-replies $(REPLIES)

bench: $(INSTALLED)
	$(BIN)/assistant bench

# The web app under crowds arriving together, at a fresh start and warm (a table in eval/reports/bench/web.md).
bench-web: $(INSTALLED)
	$(BIN)/assistant bench --web 1,4,16,32

clean:
	rm -rf $(VENV) data .pytest_cache .ruff_cache test-output
