# Two commands matter: `make site` and `make test`. Both set up what they need on a fresh clone.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: site test serve validate browser clean

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

# Debian's Chromium and a font with every Vietnamese letter, for the browser tests and the charts.
browser:
	@if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi dejavusans; then \
		echo "Installing chromium and fonts-dejavu-core from Debian"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null; \
	fi

clean:
	rm -rf build site/generated .pytest_cache
