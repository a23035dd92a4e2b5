# Rebond — two commands: `make run` (dashboard on the demonstration base) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
BASE := $(or $(REBOND_DB),data/rebond.duckdb)
PORT ?= 8501

.PHONY: run test base bench chromium clean

$(VENV)/.runtime: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

base: $(VENV)/.runtime
	test -f "$(BASE)" || $(BIN)/python -m rebond_core init --demo

run: base
	$(BIN)/streamlit run dashboard.py --server.port $(PORT) --server.headless true \
		--browser.gatherUsageStats false

chromium:
	@command -v chromium >/dev/null 2>&1 || test -x /usr/bin/chromium || \
		{ echo "Installation de Chromium (tests dans le navigateur)…"; \
		  apt-get update -qq && apt-get install -y -qq chromium; }

test: $(VENV)/.dev chromium
	$(BIN)/mypy
	$(BIN)/python -m pytest

bench: $(VENV)/.dev
	$(BIN)/python bench/bench.py

clean:
	rm -rf $(VENV) .pytest_cache
