# The two commands a newcomer needs: `make book` and `make test` (see README).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
BUILD_DIR ?= _build
# Build from real data: make book RESPONSES=export.csv MAPPING=mapping.yml
RESPONSES ?=
MAPPING ?=
IMPORTED := data/imported/responses.csv

.PHONY: help venv book data synth verify execute test lint pytest nbval build-check clean bench

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

book: data
	$(DATASET_ENV) $(PY) -m municipal_survey fingerprint --build-dir $(BUILD_DIR)
	$(DATASET_ENV) $(VENV)/bin/jupyter-book build . --path-output . --builder html -q
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
	MUNICIPAL_SURVEY_RESPONSES= $(PY) -m municipal_survey fingerprint --build-dir $(BUILD_DIR)
	MUNICIPAL_SURVEY_RESPONSES= $(VENV)/bin/jupyter-book build . -W -n --keep-going --path-output .

test: lint pytest nbval build-check

clean:
	rm -rf $(BUILD_DIR)

bench: venv
	$(PY) bench/bench.py --runs 3
