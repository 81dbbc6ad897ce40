# Two commands matter: `make site` and `make test`. Both set up what they need on a fresh clone.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
AXE := node_modules/axe-core/axe.min.js
LIGHTHOUSE := node_modules/.bin/lighthouse
NPM_CI := npm ci --no-audit --no-fund --loglevel=error

.PHONY: site test serve validate browser bench bench-web clean

site: $(STAMP)
	$(PY) -m scripts build

validate: $(STAMP)
	$(PY) -m scripts validate

test: $(STAMP) browser
	$(PY) -m pytest

serve: site
	$(PY) -m http.server --directory build 8000

# The virtual environment, from the lock (hashes checked); rebuilt when the lock changes.
$(STAMP): requirements.lock
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	touch $(STAMP)

# Debian's Chromium and a font with every Vietnamese letter, for the browser tests and the charts;
# axe-core (npm, pinned with its hash in package-lock.json) for the accessibility checks.
browser: $(AXE)
	@if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi dejavusans; then \
		echo "Installing chromium and fonts-dejavu-core from Debian"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null; \
	fi

$(AXE): package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "Installing npm from Debian"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; }
	$(NPM_CI) --omit=dev
	touch $@

$(LIGHTHOUSE): package-lock.json $(AXE)
	$(NPM_CI)
	touch $@ $(AXE)

# Lighthouse (mobile), three runs on each kind of page of a build with SITE_URL set, served gzipped;
# report in tests/artifacts/lighthouse/, table in the README. Not part of `make test`.
BENCH_SITE_URL ?= https://example.github.io/ke-hoach-683/
bench-web: $(STAMP) browser $(LIGHTHOUSE)
	SITE_URL=$(BENCH_SITE_URL) $(PY) -m tests.browser lighthouse tests/artifacts/lighthouse

# The scale benchmark (issue 9): synthetic data at 1×, 10×, 100×, each built in its own process,
# then the real site clean, warm, after one changed text cell and after one new observation with its source
# (`python -m tests.bench --real-only`: the real site alone). Report in tests/bench/report/. Not part of `make test`.
bench: $(STAMP)
	$(PY) -m tests.bench

clean:
	rm -rf build site/generated .pytest_cache
