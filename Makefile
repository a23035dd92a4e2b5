# Rebond — two commands: `make run` (dashboard on the demonstration base) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
BASE := $(or $(REBOND_DB),data/rebond.duckdb)
PORT ?= 8501

.PHONY: run test test-rapide lint format base bench chromium poppler oidc haproxy grappe plotly clean

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
	$(BIN)/python -m rebond_ui.verifier_configuration
	$(BIN)/python -m rebond_ui.serveur run dashboard.py --server.port $(PORT) --server.headless true \
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

# The local OpenID Connect provider of the login tests (tests/oidc, Node): its packages as locked.
OIDC := tests/oidc/node_modules/.package-lock.json
oidc: $(OIDC)
$(OIDC): tests/oidc/package.json tests/oidc/package-lock.json
	@command -v npm >/dev/null 2>&1 || \
		{ echo "Installation de Node.js et npm (fournisseur OIDC des tests)…"; \
		  apt-get update -qq && apt-get install -y -qq nodejs npm; }
	npm ci --prefix tests/oidc --no-audit --no-fund --loglevel=error
	touch $@

# The reduced plotly.js that draws the charts (static/plotly-rebond.min.js, versioned with the code: `make run`
# and `make test` never build it). Rebuild it after changing deploiement/plotly/ (a new trace, a new plotly).
plotly:
	@command -v npm >/dev/null 2>&1 || \
		{ echo "Installation de Node.js et npm (construction de plotly.js)…"; \
		  apt-get update -qq && apt-get install -y -qq nodejs npm; }
	npm ci --prefix deploiement/plotly --no-audit --no-fund --loglevel=error
	node deploiement/plotly/construire.js

# HAProxy (Debian) in front of several dashboard processes: `make grappe` and tests/test_grappe.py.
haproxy:
	@command -v haproxy >/dev/null 2>&1 || test -x /usr/sbin/haproxy || \
		{ echo "Installation de HAProxy (plusieurs processus de consultation)…"; \
		  apt-get update -qq && apt-get install -y -qq haproxy; }

# On this machine: REPLIQUES read-only dashboards behind HAProxy (port 8600) and the workshop (import,
# restore; port 8610; it reads the published state and opens the base only to write). ATELIER=non leaves it out.
# Ctrl-C stops everything it started. README: « Déploiement à plusieurs processus ».
REPLIQUES ?= 3
grappe: base haproxy
	$(BIN)/python deploiement/grappe.py --db "$(BASE)" --repliques $(REPLIQUES) $(if $(filter non,$(ATELIER)),--sans-atelier)

# Style and types first (fast), then every test: core, contract, pages (AppTest) and browser.
lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# Two workers: the whole suite in a few minutes on this 2-core kind of machine.
test: lint chromium poppler oidc haproxy
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
