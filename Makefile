# Two commands matter: `make site` and `make test`. Both set up what they need on a fresh clone.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# The engine that turns the pages into HTML: mkdocs (default) or zensical (`make site ENGINE=zensical`).
ENGINE ?= mkdocs
# The plan's package and where its site goes: `make site DATA=plans/<folder> OUT=build-<name>`.
DATA ?= data
OUT ?= build
ZVENV := .venv-zensical
ZSTAMP := $(ZVENV)/.installed
AXE := node_modules/axe-core/axe.min.js
LIGHTHOUSE := node_modules/.bin/lighthouse
NPM_CI := npm ci --no-audit --no-fund --loglevel=error

.PHONY: site test serve validate browser bench bench-web clean zensical

site: $(STAMP) $(if $(filter zensical,$(ENGINE)),$(ZSTAMP))
	$(PY) -m scripts build --engine $(ENGINE) --data $(DATA) --out $(OUT)

validate: $(STAMP)
	$(PY) -m scripts validate --data $(DATA)

# Zensical too: tests/test_engines.py builds the site with both engines and compares them.
test: $(STAMP) $(ZSTAMP) browser
	$(PY) -m pytest

serve: site
	$(PY) -m http.server --directory build 8000

# The virtual environment, from the lock (hashes checked); rebuilt when the lock changes.
$(STAMP): requirements.lock
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	touch $(STAMP)

# Zensical in a virtual environment of its own, from its own lock (hashes checked), so the default
# install stays as it is.
zensical: $(ZSTAMP)

$(ZSTAMP): requirements-zensical.lock
	test -d $(ZVENV) || $(PYTHON) -m venv $(ZVENV)
	$(ZVENV)/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements-zensical.lock
	touch $(ZSTAMP)

# Debian's Chromium and a font with every Vietnamese letter, for the browser tests and the charts;
# faketime, so a test can build the site under another clock (tests/test_reproducible.py);
# axe-core (npm, pinned with its hash in package-lock.json) for the accessibility checks.
browser: $(AXE)
	@if ! command -v chromium >/dev/null 2>&1 || ! command -v faketime >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi dejavusans; then \
		echo "Installing chromium, faketime and fonts-dejavu-core from Debian"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium faketime fonts-dejavu-core >/dev/null; \
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
BENCH_SITE_URL ?= https://example.github.io/bang-theo-doi/
bench-web: $(STAMP) browser $(LIGHTHOUSE)
	SITE_URL=$(BENCH_SITE_URL) $(PY) -m tests.browser lighthouse tests/artifacts/lighthouse

# The scale benchmark (issue 9): synthetic data at 1×, 10×, 100×, each built in its own process,
# then the real site clean, warm, after one changed text cell and after one new observation with its source
# (`python -m tests.bench --real-only`: the real site alone); then Zensical on the real site and at 10×. Report in tests/bench/report/. Not part of `make test`.
bench: $(STAMP) $(ZSTAMP)
	$(PY) -m tests.bench

clean:
	rm -rf build site/generated .pytest_cache
