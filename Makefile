# The two commands a newcomer needs:  make demo  ·  make test
# Everything installs into .venv from the pinned lock (requirements.lock); a second run reuses it.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export DBT_SEND_ANONYMOUS_USAGE_STATS := False
export HF_HUB_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: demo test install lock dashboard dagster clean help

help:
	@echo "make demo    install, then generate + ingest + build the demo community and write a report"
	@echo "make test    install (with dev tools), then run the whole test suite"
	@echo "make dashboard  serve the Streamlit dashboards on 127.0.0.1:8501"
	@echo "make dagster    open the Dagster UI (workspace.yaml) on 127.0.0.1:3000"
	@echo "make lock    re-resolve requirements.lock from pyproject.toml"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# torch==2.13.0 (CPU build) goes in first with pip: an unpinned torch pulled in by
# sentence-transformers would download a multi-GB CUDA build. uv then installs the lock
# with --no-deps, so it never touches torch.
$(STAMP): $(BIN)/python requirements.lock pyproject.toml
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet torch==2.13.0 uv
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -r requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	@touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/codeconvene demo

# The dashboard's browser test drives Debian's chromium through Playwright (Playwright's own
# browser download does not work offline); installed once, with sudo only when not root.
CHROMIUM := /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

test: $(STAMP) $(CHROMIUM)
	$(BIN)/python -m pytest -q

$(CHROMIUM):
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium

lock: $(BIN)/python
	$(BIN)/python -m pip install --quiet uv
	printf 'torch==2.13.0\n' > $(VENV)/torch-pin.txt
	$(BIN)/uv pip compile pyproject.toml --extra dev -c $(VENV)/torch-pin.txt \
	  --python-version 3.11 --python-platform x86_64-unknown-linux-gnu \
	  --no-emit-package torch --no-emit-package triton \
	  $$($(BIN)/uv pip compile pyproject.toml --extra dev -c $(VENV)/torch-pin.txt --python-version 3.11 \
	      --python-platform x86_64-unknown-linux-gnu -q 2>/dev/null | grep -oE '^(nvidia|cuda)[a-z0-9-]*' | sed 's/^/--no-emit-package /') \
	  -o requirements.lock -q

dashboard: $(STAMP)
	$(BIN)/codeconvene dashboard

dagster: $(STAMP)
	mkdir -p .codeconvene/dagster && cp -n orchestration/dagster_home/dagster.yaml .codeconvene/dagster/ 2>/dev/null || true
	DAGSTER_HOME=$${DAGSTER_HOME:-$$PWD/.codeconvene/dagster} $(BIN)/dagster dev -w workspace.yaml

clean:
	rm -rf .codeconvene dbt_project/target dbt_project/logs
