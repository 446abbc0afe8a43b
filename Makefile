# mgn-cutover: make venv | test | up | down | emulator
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
LOCAL := .local
EMULATOR_ARGS := --seed stacks/local-seed.yaml --state $(LOCAL)/emulator-state.json --port 4599
PULUMI_MISSING = pulumi CLI not found: install it from https://www.pulumi.com/docs/install/ and re-run make $@

.PHONY: venv test up down emulator

venv: $(VENV)/.requirements

$(VENV)/.requirements: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.requirements-dev: $(VENV)/.requirements requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

test: $(VENV)/.requirements-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(PY) -m pytest -q

# Without the pulumi CLI, `up` stops with one line before doing anything else.
up:
	$(if $(shell command -v pulumi),,$(error $(PULUMI_MISSING)))
	@$(MAKE) --no-print-directory venv
	@scripts/local-up.sh

down:
	@scripts/local-down.sh

emulator: venv
	@mkdir -p $(LOCAL)
	$(PY) -m mgn_resources.emulator $(EMULATOR_ARGS)
