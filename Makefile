# The two commands of the README's quick start: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup test lint unit demo catalog completions bench clean

# The compat editable mode puts the project on sys.path with a plain .pth entry (no import hook: start-up
# time is a feature); setuptools' build then warns about it, at length, in words a user cannot act on,
# hence PYTHONWARNINGS=ignore for that one step (pip's own messages and errors still show).
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	PYTHONWARNINGS=ignore $(BIN)/pip install --quiet -e '.[test]' --config-settings editable_mode=compat
	touch $(STAMP)

# Byte-compile the package: start-up time is a feature, even where PYTHONDONTWRITEBYTECODE is set.
setup: $(STAMP)
	@$(BIN)/python -m compileall -q zcli >/dev/null

lint: setup
	$(BIN)/ruff check zcli tests scripts benchmarks

test: setup lint
	$(BIN)/pytest

# In a process group of its own, in front on the terminal: a Ctrl-C reaches the shell alone, not make
# (which would otherwise die of it when the shell ends, and fail the target though the user just left).
demo: setup
	@$(BIN)/python scripts/foreground.py $(BIN)/zcli --demo

# Rebuild the committed catalogue from ../shared/reference/zstack-api.json.
catalog: setup
	$(BIN)/python scripts/build_catalog.py

bench: setup
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(BIN)/python $$b; done

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache .hypothesis
