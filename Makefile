# Two commands on a fresh machine with python3 and make:
#   make run    set up, build the demo studio if missing, open the reconciliation app on it
#   make test   set up and run every test
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEMO_DB := demo/recon.db
DEMO_CONFIG := config/recon.yaml

.PHONY: run report test test-browser bench demo clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

$(DEMO_DB): | $(STAMP)
	$(BIN)/recon-tui demo --db $(DEMO_DB) --config $(DEMO_CONFIG)

demo: $(DEMO_DB)

run: $(STAMP) $(DEMO_DB)
	$(BIN)/recon-tui --db $(DEMO_DB) --config $(DEMO_CONFIG)

report: $(STAMP) $(DEMO_DB)
	$(BIN)/recon-tui report --previous 2026-09-30 --current 2026-10-31 --db $(DEMO_DB) --config $(DEMO_CONFIG)

test: $(STAMP)
	$(BIN)/python -m pytest -q -n 4

# `recon-tui serve` in headless Chromium (apt-get install chromium): a screenshot of the start screen,
# checked not blank (not part of `make test`: it needs a browser)
test-browser: $(STAMP)
	$(BIN)/python tests/browser_check.py --out build/serve-screenshot.png

bench: $(STAMP)
	$(BIN)/python bench/bench_ledger.py
	$(BIN)/python bench/bench_tui.py
	$(BIN)/python bench/bench_link.py --db bench/out/studio.db
	$(BIN)/python bench/bench_iif.py

clean:
	rm -rf $(VENV) demo .pytest_cache .hypothesis
