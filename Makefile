# Rebond — two commands: `make run` (dashboard on the demonstration base) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
BASE := $(or $(REBOND_DB),data/rebond.duckdb)
PORT ?= 8501

.PHONY: run test test-rapide lint format base bench chromium poppler clean

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

# pdftotext and pdfinfo read the PDF reports back in the tests (tests/test_rapport.py).
poppler:
	@command -v pdftotext >/dev/null 2>&1 || \
		{ echo "Installation de poppler-utils (tests des rapports PDF)…"; \
		  apt-get update -qq && apt-get install -y -qq poppler-utils; }

# Style and types first (fast), then every test: core, contract, pages (AppTest) and browser.
lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# Two workers: the whole suite in a few minutes on this 2-core kind of machine.
test: lint chromium poppler
	$(BIN)/python -m pytest -n 2

# The edit loop: core and contract tests on 2 workers, without the browser, the AppTest page runs and the
# slow tests (well under a minute). After a failure, `$(BIN)/python -m pytest --lf` re-runs only what failed.
test-rapide: $(VENV)/.dev poppler
	$(BIN)/python -m pytest -m "not lent and not navigateur and not pages" -n 2

format: $(VENV)/.dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(VENV)/.dev
	$(BIN)/python bench/bench.py

clean:
	rm -rf $(VENV) .pytest_cache
