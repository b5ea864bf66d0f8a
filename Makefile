# Two entry points: `make run` (the main job on the bundled corpus) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test browser libreoffice clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/chiso sections corpus --json -o outputs
	$(BIN)/chiso extract corpus -o outputs
	$(BIN)/chiso compile outputs
	$(BIN)/chiso audit outputs/indicators.csv
	$(BIN)/chiso report outputs

# The report's browser test drives Debian's chromium (Playwright's own download is not used).
browser:
	@command -v chromium >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null; }

# Legacy .doc files are converted by LibreOffice's writer (Debian's, without the GUI: ~25 s).
libreoffice:
	@command -v soffice >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq libreoffice-writer-nogui >/dev/null; }

test: $(STAMP) browser libreoffice
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) outputs/*.csv outputs/*.html outputs/sections
