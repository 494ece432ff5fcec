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
# Real data: keep the export and its mapping in data/private/ (ignored by git). make book imports
# data/private/eksport.csv (or .xlsx, .sav) with data/private/kortlaegning.yml when they are there, and
# one export per wave kept in a folder per wave (data/private/2020/eksport.csv with its kortlaegning.yml,
# data/private/2022/...); RESPONSES=... MAPPING=... name other files (several: one mapping per export,
# in the same order). RESPONSES= (empty) builds from the synthetic data.
PRIVATE_DIR ?= data/private
private_export = $(firstword $(wildcard $(1)eksport.csv $(1)eksport.xlsx $(1)eksport.sav))
WAVE_DIRS := $(sort $(dir $(wildcard $(PRIVATE_DIR)/*/eksport.csv $(PRIVATE_DIR)/*/eksport.xlsx $(PRIVATE_DIR)/*/eksport.sav)))
RESPONSES ?= $(strip $(call private_export,$(PRIVATE_DIR)/) $(foreach d,$(WAVE_DIRS),$(call private_export,$(d))))
MAPPING ?= $(strip $(if $(call private_export,$(PRIVATE_DIR)/),$(wildcard $(PRIVATE_DIR)/kortlaegning.yml)) \
	$(foreach d,$(WAVE_DIRS),$(d)kortlaegning.yml))
# The socioeconomic index for chapter 3.3 (kommunekode;indeks;år, CSV or XLSX); unset: a synthetic stand-in.
SOCIOECONOMIC_INDEX ?=
INDEX_ENV := MUNICIPAL_SURVEY_SOCIOECONOMIC_INDEX=$(if $(strip $(SOCIOECONOMIC_INDEX)),$(abspath $(SOCIOECONOMIC_INDEX)))
IMPORTED ?= data/imported/responses.csv
# The book's PDF (make pdf) is printed by Chromium; without it make book skips the PDF with a message,
# unless A11Y_BROWSER_REQUIRED=1 (CI), which makes that a failure as for the browser checks.
CHROMIUM ?= /usr/bin/chromium
export CHROMIUM
# Its file name is a setting (data/settings.yml), as the pages' link to it.
PDF_NAME = $(shell $(PY) -m municipal_survey settings pdf_name)
PDF_REQUIRE = $(if $(strip $(A11Y_BROWSER_REQUIRED)),--require)
BOOK_PDF ?= 1
# Notebooks are executed in parallel before the build (execute-cache); JOBS=1 executes one at a time.
JOBS ?=
JOBS_ARG = $(if $(strip $(JOBS)),--jobs $(JOBS))

.PHONY: help venv book pdf data synth verify execute convert check test test-independent test-build lint unit book-tests \
	scratch-tests pytest nbval build-check \
	disclosure-check publish-check clean bench a11y a11y-html a11y-browser mutation

help:
	@echo "make book        - build the site into $(BUILD_DIR)/html (real data: $(PRIVATE_DIR)/eksport.*, $(PRIVATE_DIR)/<year>/eksport.* or RESPONSES=, MAPPING=; SOCIOECONOMIC_INDEX=: the index for 3.3)"
	@echo "make pdf         - the whole book as one PDF, $(BUILD_DIR)/html/$(PDF_NAME) (make book prints it too; BOOK_PDF=0: not)"
	@echo "make test        - the full gate: lint, unit tests, one execution and build, then every book check"
	@echo "make check       - fast loop while editing (about 25 s): ruff on code and notebooks + unit tests"
	@echo "make execute     - execute the pages and rewrite their glue manifests notebooks/_glue/*.yml (NB=notebooks/x.md: one)"
	@echo "make convert     - turn notebooks/*.ipynb (NB=...: those) into MyST Markdown pages"
	@echo "make lint        - ruff on src, tests, bench, notebooks and the book's extension"
	@echo "make unit        - the unit tests (pytest -m 'not book')"
	@echo "make build-check - execute every notebook once, build the book with warnings as errors, print its PDF"
	@echo "make book-tests  - the checks that read that build (pytest -m 'book and not scratch')"
	@echo "make scratch-tests - book tests that need no build: scratch-copy builds, every chart's layout, axe"
	@echo "make disclosure-check - no page or tracked file discloses a municipality's answers; the attack on the site"
	@echo "make a11y        - accessibility: HTML checks and axe-core in headless Chromium"
	@echo "make nbval       - nbval on the executed pages of the last build-check (executes them all again)"
	@echo "make publish-check - before publishing: fails until the publisher's fields in _config.yml are set"
	@echo "make synth       - regenerate data/synthetic/responses.csv"
	@echo "make verify      - recompute every published number from the active dataset"
	@echo "make bench       - timings on this machine (never part of the tests)"
	@echo "make mutation    - mutation score of the modules that carry numbers (tens of minutes; MODULES=...)"
	@echo "make venv        - the virtual environment from the pinned requirements"
	@echo "make clean       - remove the build"

venv: $(VENV)/.installed

# Python keeps the bytecode of what it imports, even where the shell turned that off
# (PYTHONDONTWRITEBYTECODE): otherwise every process, each kernel and each test run, compiles pandas,
# SciPy and the build's modules anew.
unexport PYTHONDONTWRITEBYTECODE

# One BLAS thread per process: the book's matrices are small, and its work runs in several processes at
# once (a kernel per notebook and core, the tests beside the build). A BLAS thread per core in each of
# them makes them wait for one another (an SVD of the ordinal model took 55 ms instead of 0.3 ms).
export OPENBLAS_NUM_THREADS ?= 1

# uv installs the same pinned versions as pip, several times faster (README: Performance). The
# environment has no pip of its own then: the system's pip (22.3 or later, `pip --python`) puts uv in
# it, else ensurepip does. Then the modules the book and its checks import are compiled to bytecode by
# importing them, in two processes; compiling every installed module instead (pip's way, uv
# --compile-bytecode) takes three times as long. INSTALLER=pip uses pip alone.
UV_VERSION ?= 0.13.9
INSTALLER ?= uv
WARM_ANALYSIS = municipal_survey.analysis.stats municipal_survey.analysis.variation municipal_survey.report.sections \
	municipal_survey.report.downloads municipal_survey.data.importers municipal_survey.synthetic.calibration \
	statsmodels.api seaborn pyreadstat
WARM_BUILD = jupyter_book.cli.main myst_nb sphinx_book_theme a11y_pygments nbclient nbconvert jupyter_cache \
	ipykernel.kernelapp matplotlib_inline.backend_inline PIL.Image pypdf bs4 pytest xdist nbval
WARM = $(PY) -c "import importlib, sys; [importlib.import_module(m) for m in sys.argv[1:]]"
$(VENV)/.installed: requirements.txt constraints.txt pyproject.toml
ifeq ($(INSTALLER),uv)
	$(PYTHON) -m venv --without-pip $(VENV)
	$(PYTHON) -m pip --python $(PY) install --quiet --disable-pip-version-check uv==$(UV_VERSION) 2>/dev/null || \
		{ $(PY) -m ensurepip --default-pip >/dev/null && \
		  $(PY) -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION); }
	$(VENV)/bin/uv pip install --quiet --python $(PY) -r requirements.txt -c constraints.txt
	$(VENV)/bin/uv pip install --quiet --python $(PY) --no-deps -e .
	$(WARM) $(WARM_ANALYSIS) & analysis=$$!; $(WARM) $(WARM_BUILD) && wait $$analysis
else
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt -c constraints.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
endif
	touch $@

ifneq ($(strip $(RESPONSES)),)
DATASET_ENV := MUNICIPAL_SURVEY_RESPONSES=$(abspath $(IMPORTED)) $(INDEX_ENV)
data: venv
	@test -n "$(MAPPING)" || { echo "MAPPING=... is required with RESPONSES=..."; exit 2; }
	$(PY) -m municipal_survey import $(foreach f,$(RESPONSES),"$(f)") --mapping $(foreach f,$(MAPPING),"$(f)") \
		--output $(IMPORTED)
	$(if $(strip $(SOCIOECONOMIC_INDEX)),$(PY) -m municipal_survey index "$(SOCIOECONOMIC_INDEX)")
else
DATASET_ENV := MUNICIPAL_SURVEY_RESPONSES= $(INDEX_ENV)
data: venv
	$(if $(strip $(SOCIOECONOMIC_INDEX)),$(PY) -m municipal_survey index "$(SOCIOECONOMIC_INDEX)")
endif

# Skipped when nothing the book reads changed since the last make book (site-current); otherwise:
# clear stale caches (fingerprint), execute the notebooks on all cores (execute-cache), build. A notebook
# that fails stops the build, named with its cell, and the site is removed: no page of another dataset
# or of older code stays behind to be published. With BOOK_PDF=0 the pages link to no PDF and a PDF
# printed from older pages is removed.
BOOK_ENV = $(DATASET_ENV) MUNICIPAL_SURVEY_BOOK_PDF=$(BOOK_PDF)
book: data
	@if $(BOOK_ENV) $(PY) -m municipal_survey site-current --build-dir $(BUILD_DIR); then :; else \
	  $(BOOK_ENV) $(PY) -m municipal_survey fingerprint --build-dir $(BUILD_DIR) && \
	  $(BOOK_ENV) $(PY) -m municipal_survey execute-cache --build-dir $(BUILD_DIR) $(JOBS_ARG) && \
	  $(BOOK_ENV) $(VENV)/bin/jupyter-book build . --path-output $(BUILD_PARENT) --builder html -q && \
	  $(PY) -m municipal_survey site-current --build-dir $(BUILD_DIR) --record || \
	  { rm -rf $(BUILD_DIR)/html; echo "make book failed (see above); $(BUILD_DIR)/html removed: nothing is published" >&2; exit 1; }; \
	fi
	@$(PY) -m municipal_survey.build.pdf --build-dir $(BUILD_DIR) $(if $(filter 1,$(BOOK_PDF)),--if-stale $(PDF_REQUIRE),--remove-stale)
	@echo "Open $(BUILD_DIR)/html/index.html"

# The whole book as one PDF, printed from the built site by Chromium (municipal_survey.build.pdf);
# every page links to it, so make book prints it too when the site changed and Chromium is there
# (about 9 s of CPU); BOOK_PDF=0 leaves it out (the end-to-end tests, which check numbers, not the PDF).
pdf: PDF_REQUIRE = --require
pdf: override BOOK_PDF = 1
pdf: book

publish-check: venv
	$(PY) -m municipal_survey publish-check

synth: venv
	$(PY) -m municipal_survey synth

verify: venv
	$(DATASET_ENV) $(PY) -m municipal_survey verify

# Pages are text (notebooks/*.md); what their execution gives is kept in notebooks/_glue/<page>.yml
# (build/pages.py). `make execute` executes the pages of _toc.yml that changed, in a cache of its own
# and with another hash seed than make test's execution, and rewrites the manifests (NB=notebooks/x.md:
# only that page's); review and commit them with the page.
NB ?=
EXECUTE_DIR = $(BUILD_DIR)/execute/_build
execute: venv
	MUNICIPAL_SURVEY_RESPONSES= $(PY) -m municipal_survey fingerprint --build-dir $(EXECUTE_DIR)
	MUNICIPAL_SURVEY_RESPONSES= PYTHONHASHSEED=1 $(PY) -m municipal_survey execute-cache --build-dir $(EXECUTE_DIR) $(JOBS_ARG)
	MUNICIPAL_SURVEY_RESPONSES= $(PY) -m municipal_survey.build.pages manifest --build-dir $(EXECUTE_DIR) \
		$(foreach f,$(NB),--page $(f))

# Converts notebooks/*.ipynb (NB=...: those) to MyST Markdown pages; see build/pages.py.
convert: venv
	$(PY) -m municipal_survey.build.pages convert $(NB)

# ruff reads no MyST Markdown: the pages' code cells are written out as one Python file per page
# (imports may follow a cell's output, as in a notebook: E402 is left out there).
lint: venv
	$(VENV)/bin/ruff check src tests bench book/_ext
	$(PY) -m municipal_survey.build.pages code --into $(BUILD_DIR)/page-code
	$(VENV)/bin/ruff check --extend-ignore E402 $(BUILD_DIR)/page-code

# UNIT_JOBS=0: in one process (make test, where the build keeps the other core busy and more workers
# would only repeat the imports and the collection). Workers steal queued tests from each other, so that
# none waits at the end for the other's last few slow tests.
UNIT_JOBS ?= auto
unit: venv
	MUNICIPAL_SURVEY_RESPONSES= $(PY) -m pytest -q -n $(UNIT_JOBS) --dist worksteal -m "not book" tests

# The fast loop while editing: no notebook is executed and nothing is built.
check: lint unit

# Every test, without the build's guarantee (the book tests skip when there is no fresh build).
pytest: venv
	MUNICIPAL_SURVEY_RESPONSES= $(PY) -m pytest tests

# nbval executes the executed copies of the pages that make build-check wrote and compares the outputs.
nbval: venv
	@test -d $(BUILD_DIR)/jupyter_execute/notebooks || { echo "nbval: no executed pages in $(BUILD_DIR)/jupyter_execute (run make build-check first)"; exit 2; }
	MUNICIPAL_SURVEY_RESPONSES= $(PY) -m pytest --nbval $(BUILD_DIR)/jupyter_execute/notebooks \
		--nbval-sanitize-with nbval-sanitize.cfg -p no:cacheprovider --rootdir=. -c /dev/null

# The one execution make test checks from every angle: every notebook in a fresh kernel, on all cores,
# with a fixed hash seed that differs from the one `make execute` used (so nothing may depend on it).
build-check: venv
	$(PY) -m municipal_survey site-current --build-dir $(BUILD_DIR) --forget
	MUNICIPAL_SURVEY_RESPONSES= $(PY) -m municipal_survey fingerprint --build-dir $(BUILD_DIR)
	MUNICIPAL_SURVEY_RESPONSES= PYTHONHASHSEED=2 $(PY) -m municipal_survey execute-cache --build-dir $(BUILD_DIR) $(JOBS_ARG)
	MUNICIPAL_SURVEY_RESPONSES= $(VENV)/bin/jupyter-book build . -W -n --keep-going --path-output $(BUILD_PARENT)
	$(PY) -m municipal_survey.build.pdf --build-dir $(BUILD_DIR) $(PDF_REQUIRE)

# The checks that read the build: committed outputs against the fresh execution, the HTML's
# accessibility and disclosure, a copy of the build rebuilt on an imported export, and a newcomer's
# page added in a copy of the project that starts from the build's execution cache.
book-tests: venv
	BOOK_REQUIRE_BUILD=1 BOOK_BUILD_DIR=$(BUILD_DIR) A11Y_REQUIRE_BUILD=1 A11Y_HTML_DIR=$(BUILD_DIR)/html \
		MUNICIPAL_SURVEY_RESPONSES= $(PY) -m pytest -q -m "book and not scratch" tests

# The book tests that read nothing of $(BUILD_DIR): the end-to-end builds in scratch copies (parallel
# execution), the layout of every chart of the book and axe on a planted site.
scratch-tests: venv
	MUNICIPAL_SURVEY_RESPONSES= $(PY) -m pytest -q -m scratch tests

# After a build: no page shows one municipality's answers or an unsuppressed breakdown cell under the
# threshold (data/settings.yml), and no tracked file holds responses other than the synthetic ones (see
# book/metode.md); then the attack with everything the site publishes at once (its tables, downloads,
# charts and PDF, the register and the national counts of the dataset it was built from) recovers
# nothing about fewer municipalities than the threshold.
disclosure-check: venv
	$(PY) -m municipal_survey.build.disclosure_check --html $(BUILD_DIR)/html --repo
	$(DATASET_ENV) $(PY) -m municipal_survey.build.disclosure_attack --html $(BUILD_DIR)/html

# Accessibility of the built book (WCAG 2.1 AA), after the warning-free build: the HTML and palette
# checks, then axe-core in headless Chromium over every page. Without Chromium, node or the npm
# packages (cd a11y && npm ci) the browser part is skipped with a message, unless
# A11Y_BROWSER_REQUIRED=1 (CI), which makes that a failure.
A11Y_BROWSER_REQUIRED ?=
a11y: build-check a11y-html a11y-browser

a11y-html: venv
	A11Y_REQUIRE_BUILD=1 A11Y_HTML_DIR=$(BUILD_DIR)/html MUNICIPAL_SURVEY_RESPONSES= $(PY) -m pytest -q \
		tests/book/test_accessibility.py tests/report/test_chart_palette.py

a11y-browser:
	@missing=""; \
	[ -x "$(CHROMIUM)" ] || missing="$$missing Chromium ($(CHROMIUM));"; \
	command -v node >/dev/null 2>&1 || missing="$$missing node;"; \
	[ -d a11y/node_modules/axe-core ] && [ -d a11y/node_modules/puppeteer-core ] || missing="$$missing npm packages (cd a11y && npm ci);"; \
	if [ -z "$$missing" ]; then \
		CHROMIUM="$(CHROMIUM)" node a11y/axe-check.mjs $(BUILD_DIR)/html --json $(BUILD_DIR)/axe-report.json; \
		status=$$?; CHROMIUM="$(CHROMIUM)" node a11y/phone-check.mjs $(BUILD_DIR)/html || status=1; exit $$status; \
	elif [ -n "$(A11Y_BROWSER_REQUIRED)" ]; then \
		echo "a11y: the browser checks are required, but missing:$$missing"; exit 1; \
	else \
		echo "SKIPPED the browser accessibility checks (axe-core in headless Chromium): missing$$missing"; \
	fi

# The full gate, in two lines of work run side by side (output kept per line). The longer line starts
# at once: the one execution and build, then everything that reads it (the book tests, among them the
# rebuild of a copy on an imported export, the disclosure check and axe). The other line, the fast
# checks and then the book tests that read nothing of the build, fills the second core meanwhile.
# Three job slots, so that the checks after the build do not wait for one another while the other line
# runs; the cores stay busy either way.
test: venv
	$(MAKE) --no-print-directory -j3 --output-sync=target test-build test-independent

test-independent: venv
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory unit UNIT_JOBS=0
	$(MAKE) --no-print-directory scratch-tests

# Two jobs at once, unless an outer make already shares its job slots (make test): then its -j3 holds.
PARALLEL = $(if $(findstring jobserver,$(MAKEFLAGS)),,-j2)
test-build: build-check
	$(MAKE) --no-print-directory $(PARALLEL) --output-sync=target a11y-browser book-tests disclosure-check RESPONSES=

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
		$(if $(wildcard $(VENV)/bin/uv),$(VENV)/bin/uv pip install --quiet --python $(PY),$(PY) -m pip install --quiet --disable-pip-version-check) \
		-c constraints.txt mutmut==$(MUTMUT_VERSION)
	rm -rf mutants
	MUNICIPAL_SURVEY_ROOT=$(CURDIR) MUNICIPAL_SURVEY_RESPONSES= nice $(PY) bench/mutation_score.py --run --survivors $(MODULES)

bench: venv
	$(PY) bench/bench.py --runs 3
