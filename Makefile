# Two commands matter: `make demo` and `make test`. Each creates the virtualenv
# (.venv) on first use and installs what it needs; torch is pinned to the local
# CPU wheel through constraints.txt so pip never fetches CUDA packages.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SHARED_MODELS ?= ../shared/models
STAMP  := $(VENV)/.installed

.PHONY: demo test lint bench venv clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -c constraints.txt torch==2.13.0
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

## Run the TUI demo (installs the bundled zh->en model first if ../shared/models has one).
demo: $(STAMP)
	@if ls $(SHARED_MODELS)/*.argosmodel >/dev/null 2>&1; then \
		$(BIN)/rednote-sim models install --from $(SHARED_MODELS) --quiet; fi
	$(BIN)/rednote-sim demo

## Lint, format check, type check, import contracts, then the whole test suite.
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy rednote_sim tests
	$(BIN)/lint-imports
	$(BIN)/pytest

## The translation benchmark (prints ratios measured in one run).
bench: $(STAMP)
	$(BIN)/python -m rednote_sim.bench translate

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
