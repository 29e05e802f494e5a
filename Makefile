# The two commands of the README's quick start: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup test lint unit demo catalog completions bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]' --config-settings editable_mode=compat
	touch $(STAMP)

# Byte-compile the package: start-up time is a feature, even where PYTHONDONTWRITEBYTECODE is set.
setup: $(STAMP)
	@$(BIN)/python -m compileall -q zcli >/dev/null

lint: setup
	$(BIN)/ruff check zcli tests scripts benchmarks

test: setup lint
	$(BIN)/pytest

demo: setup
	$(BIN)/zcli --demo

# Rebuild the committed catalogue from ../shared/reference/zstack-api.json.
catalog: setup
	$(BIN)/python scripts/build_catalog.py

bench: setup
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(BIN)/python $$b; done

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache .hypothesis
