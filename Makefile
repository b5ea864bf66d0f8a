# Two entry points: `make run` (the main job on the bundled corpus) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/chiso sections corpus --json -o outputs
	$(BIN)/chiso extract corpus -o outputs

test: $(STAMP)
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) outputs/*.csv outputs/sections
