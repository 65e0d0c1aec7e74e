# Police performance warehouse. `make` (or `make help`) lists the targets.
#
# Every target that runs Python depends on the virtual environment, which `setup` makes from
# uv.lock, so a fresh clone needs no separate set-up step. Steps run one after another: DuckDB lets
# one process write the warehouse at a time.

.DEFAULT_GOAL := help
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
MAKEFLAGS += --no-builtin-rules --no-print-directory

# Where data comes from: live (the public sources), sample (generated, offline) or a mirror path/URL.
SOURCE ?= live
# Which police.uk archives: latest, all (mirror directories only) or months such as 2025-12.
ARCHIVE ?= latest
WAREHOUSE ?= $(CURDIR)/warehouse/ppf.duckdb
PYTHON ?= $(shell command -v python3.11 || command -v python3)
UV_VERSION := 0.13.9

UV := $(CURDIR)/.uv/bin/uv
VENV := $(CURDIR)/.venv
PY := $(VENV)/bin/python
DBT := $(VENV)/bin/dbt
INSTALLED := $(VENV)/.installed

export PPF_WAREHOUSE := $(abspath $(WAREHOUSE))
export DBT_PROFILES_DIR := $(CURDIR)
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export GX_ANALYTICS_ENABLED := false
export RUNTIME__DLTHUB_TELEMETRY := false
export UV_PYTHON := $(PYTHON)
export UV_PYTHON_DOWNLOADS := never

.PHONY: help setup browser demo build extract transform quality publish report bench coverage test lint docs clean clean-all

help: ## list the targets
	@echo "Police performance warehouse: make <target> [SOURCE=live|sample|<mirror>] [WAREHOUSE=path]"
	@echo
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'
	@echo
	@echo "Newcomers: make demo (whole pipeline on sample data, offline), then make test."

$(UV):
	@echo "setup: installing uv $(UV_VERSION) into .uv/"
	@$(PYTHON) -m pip install --quiet --disable-pip-version-check --target $(CURDIR)/.uv "uv==$(UV_VERSION)"

$(INSTALLED): pyproject.toml uv.lock | $(UV)
	@echo "setup: creating .venv from uv.lock"
	@$(UV) sync --frozen --quiet
	@touch $@

setup: $(INSTALLED) ## create .venv from uv.lock (every other target does this first)

browser: ## Debian's chromium, which the report's test drives headless (installed with apt-get when missing)
	@command -v chromium >/dev/null || { echo "browser: installing Debian's chromium"; \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null; }

# build and demo run extract, transform and quality as one command (python -m pipeline: the same steps,
# with dbt and Great Expectations imported while the extract runs), then publish and report.
PIPELINE_ARGS = $(foreach a,$(ARCHIVE),--archive $(a)) $(if $(filter 1 yes true,$(FULL_REFRESH)),--full-refresh)

demo: $(INSTALLED) ## the whole pipeline on the generated sample data, no network, published to releases/
	@PPF_SOURCE=sample $(PY) -m pipeline $(PIPELINE_ARGS)
	@$(MAKE) publish report
	@$(PY) -m extract.summary

build: $(INSTALLED) ## the whole pipeline against the live public sources (quarterly refresh), then publish
	@PPF_SOURCE=$(SOURCE) $(PY) -m pipeline $(PIPELINE_ARGS)
	@$(MAKE) publish report
	@$(PY) -m extract.summary

extract: $(INSTALLED) ## load the sources into the warehouse's raw_* schemas (dlt)
	@PPF_SOURCE=$(SOURCE) $(PY) -m extract run $(foreach a,$(ARCHIVE),--archive $(a))

transform: $(INSTALLED) ## dbt build of what changed since the last build (everything after a code change; FULL_REFRESH=1 forces it)
	@$(PY) -m transform $(if $(filter 1 yes true,$(FULL_REFRESH)),--full-refresh)

quality: $(INSTALLED) ## Great Expectations suites over raw and measure tables; fails on any failed expectation
	@$(PY) -m expectations.validate

publish: $(INSTALLED) ## releases/<id>/: CSV + Parquet per measure, catalogue, manifest, revisions (only after a passing quality run)
	@$(PY) -m publish

report: $(INSTALLED) ## static HTML report of the latest release in site/ (opens from the file system, offline)
	@$(PY) -m report

bench: $(INSTALLED) ## national-scale benchmark (12/24/36 months, ~20 min, up to 13 GB in data/bench): figures to JSON + table
	@$(PY) -m bench $(if $(BENCH_MONTHS),--months $(BENCH_MONTHS))

coverage: $(INSTALLED) ## the measure catalogue by topic and tier: which measures have tables and values
	@$(PY) -m extract.coverage

test: $(INSTALLED) browser lint ## lint, then the test suite (loaders, sample, dbt end to end, GX gate, publish, report)
	@# one worker per core, each test file on one worker; the shared sample is built once (tests/python/conftest.py)
	@$(PY) -m pytest -n auto --dist loadfile

lint: $(INSTALLED) ## sqlfluff (dbt templater, in-memory target) and ruff
	@$(VENV)/bin/ruff check extract expectations publish report transform pipeline bench tests
	@$(VENV)/bin/sqlfluff lint models tests/dbt --disable-progress-bar --nocolor --processes $(shell nproc)

docs: $(INSTALLED) ## dbt docs as one static HTML file: target/static_index.html
	@$(DBT) docs generate --static --quiet
	@echo "docs: $(CURDIR)/target/static_index.html"

clean: ## remove the warehouse, the sample mirror, downloads and build outputs (keeps .venv)
	rm -rf warehouse data/sample site target logs expectations/gx/uncommitted .pytest_cache .ruff_cache

clean-all: clean ## also remove .venv and .uv
	rm -rf .venv .uv
