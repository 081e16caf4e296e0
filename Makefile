# LOUISE: `make demo` sets everything up and runs the Bottrop demo; `make test` runs the tests.
VENV ?= .venv
BIN := $(VENV)/bin
PYTHON := $(shell scripts/find-python)

# The suite runs in one process per core (pytest-xdist); a test file stays in one process, so
# its module-wide fixtures are built once. `make test PYTEST_PARALLEL=` runs it in one process.
PYTEST_PARALLEL ?= -n auto --dist loadfile

.PHONY: demo test lint screenshots bench-city bench-day bench-lilim clean

$(BIN)/python:
	@test -n "$(PYTHON)" || exit 1
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@echo "compiling the planning kernels (once)"
	$(BIN)/python -c "from louise.planning.ruin import warm; warm()"
	touch $@

demo: $(VENV)/.installed
	$(BIN)/louise demo

test: $(VENV)/.installed
	$(BIN)/ruff check louise bench
	$(BIN)/mypy
	@# a model change without its migration fails here (test settings: no key needed; the
	@# check opens the database, so its folder must exist)
	mkdir -p "$${LOUISE_VAR_DIR:-var}"
	DJANGO_SETTINGS_MODULE=louise.settings_test $(BIN)/louise makemigrations --check --dry-run
	$(BIN)/python -m pytest $(PYTEST_PARALLEL)

screenshots: $(VENV)/.installed
	LOUISE_SCREENSHOTS=1 $(BIN)/python -m pytest -m browser

lint: $(VENV)/.installed
	$(BIN)/ruff check louise bench
	$(BIN)/mypy

$(VENV)/.installed-bench: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	touch $@

bench-city: $(VENV)/.installed-bench
	$(BIN)/louise bench city --legs 500 --vehicles 40 --seed 1

# a Bottrop day planned by the real app in a throwaway database (docs/planning.md)
bench-day: $(VENV)/.installed
	$(BIN)/louise bench day --legs 500 --seed 1

bench-lilim: $(VENV)/.installed-bench
	$(BIN)/louise bench lilim ../shared/data/lilim/100 --time-limit 10 --compare pyvrp,vroom,ortools

clean:
	rm -rf var
