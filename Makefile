# The two commands a newcomer needs: `make book` and `make test` (see README).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
BUILD_DIR ?= _build
# jupyter-book writes to <path-output>/_build, so BUILD_DIR must be a folder named _build.
BUILD_PARENT = $(patsubst %/,%,$(dir $(abspath $(BUILD_DIR))))
ifneq ($(notdir $(abspath $(BUILD_DIR))),_build)
$(error BUILD_DIR must be a folder named _build (jupyter-book writes to <dir>/_build), got $(BUILD_DIR))
endif
# Build from real data: make book RESPONSES=export.csv MAPPING=mapping.yml
RESPONSES ?=
MAPPING ?=
IMPORTED ?= data/imported/responses.csv
# Notebooks are executed in parallel before the build (execute-cache); JOBS=1 executes one at a time.
JOBS ?=
JOBS_ARG = $(if $(strip $(JOBS)),--jobs $(JOBS))

.PHONY: help venv book data synth verify execute test lint pytest nbval build-check disclosure-check clean bench a11y \
	mutation

help:
	@echo "make book   - venv + build the site into $(BUILD_DIR)/html (RESPONSES=... MAPPING=... for real data)"
	@echo "make test   - ruff, pytest, nbval on every notebook, and a warning-free book build"
	@echo "make execute - re-execute the notebooks in place (after changing code or data)"
	@echo "make synth  - regenerate data/synthetic/responses.csv"

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt constraints.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt -c constraints.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

ifneq ($(strip $(RESPONSES)),)
DATASET_ENV := MUNICIPAL_SURVEY_RESPONSES=$(abspath $(IMPORTED))
data: venv
	@test -n "$(MAPPING)" || { echo "MAPPING=... is required with RESPONSES=..."; exit 2; }
	$(PY) -m municipal_survey import "$(RESPONSES)" --mapping "$(MAPPING)" --output $(IMPORTED)
else
DATASET_ENV := MUNICIPAL_SURVEY_RESPONSES=
data: venv
endif

# Skipped when nothing the book reads changed since the last make book (site-current); otherwise:
# clear stale caches (fingerprint), execute the notebooks on all cores (execute-cache), build.
book: data
	@if $(DATASET_ENV) $(PY) -m municipal_survey site-current --build-dir $(BUILD_DIR); then :; else \
	  set -e; \
	  $(DATASET_ENV) $(PY) -m municipal_survey fingerprint --build-dir $(BUILD_DIR); \
	  $(DATASET_ENV) $(PY) -m municipal_survey execute-cache --build-dir $(BUILD_DIR) $(JOBS_ARG); \
	  $(DATASET_ENV) $(VENV)/bin/jupyter-book build . --path-output $(BUILD_PARENT) --builder html -q; \
	  $(PY) -m municipal_survey site-current --build-dir $(BUILD_DIR) --record; \
	fi
	@echo "Open $(BUILD_DIR)/html/index.html"

synth: venv
	$(PY) -m municipal_survey synth

verify: venv
	$(DATASET_ENV) $(PY) -m municipal_survey verify

execute: venv
	MUNICIPAL_SURVEY_RESPONSES= $(VENV)/bin/jupyter nbconvert --to notebook --execute --inplace \
		--ExecutePreprocessor.record_timing=False --ExecutePreprocessor.timeout=300 notebooks/*.ipynb

lint: venv
	$(VENV)/bin/ruff check src tests

pytest: venv
	MUNICIPAL_SURVEY_RESPONSES= $(PY) -m pytest tests

nbval: venv
	MUNICIPAL_SURVEY_RESPONSES= $(PY) -m pytest --nbval notebooks --nbval-sanitize-with nbval-sanitize.cfg -p no:cacheprovider

build-check: venv
	$(PY) -m municipal_survey site-current --build-dir $(BUILD_DIR) --forget
	MUNICIPAL_SURVEY_RESPONSES= $(PY) -m municipal_survey fingerprint --build-dir $(BUILD_DIR)
	MUNICIPAL_SURVEY_RESPONSES= $(PY) -m municipal_survey execute-cache --build-dir $(BUILD_DIR) $(JOBS_ARG)
	MUNICIPAL_SURVEY_RESPONSES= $(VENV)/bin/jupyter-book build . -W -n --keep-going --path-output $(BUILD_PARENT)

# After a build: no page shows one municipality's answers or an unsuppressed breakdown cell under 5,
# and no tracked file holds responses other than the synthetic ones (see book/metode.md).
disclosure-check: venv
	$(PY) -m municipal_survey.build.disclosure_check --html $(BUILD_DIR)/html --repo

# Accessibility of the built book (WCAG 2.1 AA), after the warning-free build: the HTML and palette
# checks, then axe-core in headless Chromium over every page. Without Chromium, node or the npm
# packages (cd a11y && npm ci) the browser part is skipped with a message, unless
# A11Y_BROWSER_REQUIRED=1 (CI), which makes that a failure.
CHROMIUM ?= /usr/bin/chromium
A11Y_BROWSER_REQUIRED ?=
a11y: build-check
	A11Y_REQUIRE_BUILD=1 A11Y_HTML_DIR=$(BUILD_DIR)/html MUNICIPAL_SURVEY_RESPONSES= $(PY) -m pytest -q tests/test_accessibility.py
	@missing=""; \
	[ -x "$(CHROMIUM)" ] || missing="$$missing Chromium ($(CHROMIUM));"; \
	command -v node >/dev/null 2>&1 || missing="$$missing node;"; \
	[ -d a11y/node_modules/axe-core ] && [ -d a11y/node_modules/puppeteer-core ] || missing="$$missing npm packages (cd a11y && npm ci);"; \
	if [ -z "$$missing" ]; then \
		CHROMIUM="$(CHROMIUM)" node a11y/axe-check.mjs $(BUILD_DIR)/html --json $(BUILD_DIR)/axe-report.json; \
	elif [ -n "$(A11Y_BROWSER_REQUIRED)" ]; then \
		echo "a11y: the browser checks are required, but missing:$$missing"; exit 1; \
	else \
		echo "SKIPPED the browser accessibility checks (axe-core in headless Chromium): missing$$missing"; \
	fi

test: lint pytest nbval build-check disclosure-check a11y

clean:
	rm -rf $(BUILD_DIR) mutants

# Mutation testing (README: "Mutation testing"): tens of minutes, so not part of `make test` or CI.
# mutmut changes the modules that carry the book's numbers one small step at a time and reruns the fast
# unit tests; the score per module is printed by bench/mutation_score.py. MODULES=rounding likert runs a
# subset. Each run starts afresh (mutants/ is removed) so no result of older tests is reused.
MUTMUT_VERSION = 3.8.1
MODULES ?=
mutation: venv
	@$(VENV)/bin/mutmut --version 2>/dev/null | grep -qx "mutmut, version $(MUTMUT_VERSION)" || \
		$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt mutmut==$(MUTMUT_VERSION)
	rm -rf mutants
	MUNICIPAL_SURVEY_ROOT=$(CURDIR) MUNICIPAL_SURVEY_RESPONSES= nice $(PY) bench/mutation_score.py --run --survivors $(MODULES)

bench: venv
	$(PY) bench/bench.py --runs 3
