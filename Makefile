# mgn-cutover: make venv | test | test-quick | cli | yaml-host | sdk | sdkgen | sdk-node | up | down | emulator | reset
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
LOCAL := .local
EMULATOR_ARGS := --seed stacks/local-seed.yaml --state $(LOCAL)/emulator-state.json --port 4599

.PHONY: venv test test-quick cli yaml-host sdk sdkgen sdk-node up down emulator reset

venv: $(VENV)/.requirements

$(VENV)/.requirements: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

# The local stack also needs the emulator's EC2 (moto): make up installs it, make test has it through the dev file.
$(VENV)/.requirements-local: $(VENV)/.requirements requirements-local.txt
	$(PY) -m pip install --quiet -r requirements-local.txt
	touch $@

$(VENV)/.requirements-dev: $(VENV)/.requirements-local requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

test: $(VENV)/.requirements-dev cli yaml-host sdkgen sdk-node
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(PY) -m pytest -q

# While working: ruff, mypy and the tests marked neither e2e (the pulumi CLI, make) nor slow; no CLI needed.
test-quick: $(VENV)/.requirements-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(PY) -m pytest -q -m "not e2e and not slow"

# The pinned pulumi CLI and Python language host in .local/pulumi/bin (built with Go on first use).
cli:
	@scripts/build-cli.sh

# Pulumi's YAML language host beside the CLI, for the tests' YAML programs (built with Go on first use; not for make up).
yaml-host:
	@scripts/build-yaml-host.sh

# The plugin's SDKs for Python, TypeScript and Go, written into sdk/ from mgn_resources/plugin/schema.json by
# tools/sdkgen (Pulumi's own generators, built with Go on first use). make test checks sdk/ is up to date.
sdk:
	@scripts/gen-sdk.sh

# Only the generator, in .local/sdkgen: what the tests need to check sdk/.
sdkgen:
	@scripts/gen-sdk.sh --build

# The TypeScript toolchain the tests type-check and run sdk/nodejs with: tools/sdk-node's locked @pulumi/pulumi,
# typescript and @types/node, installed into .local/sdk-node by npm (again only when the package files change).
sdk-node: $(LOCAL)/sdk-node/.installed

$(LOCAL)/sdk-node/.installed: tools/sdk-node/package.json tools/sdk-node/package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "make sdk-node: npm (Node.js 20 or newer, https://nodejs.org/) is needed to type-check the TypeScript SDK; install it and re-run make sdk-node" >&2; exit 2; }
	@mkdir -p $(@D)
	cp tools/sdk-node/package.json tools/sdk-node/package-lock.json $(@D)/
	cd $(@D) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

# venv (with the emulator's moto), CLI, emulator, stack `local`, pulumi up, outputs as JSON. Run again: nothing changes.
up: $(VENV)/.requirements-local cli
	@scripts/local-up.sh

down:
	@scripts/local-down.sh

emulator: $(VENV)/.requirements-local
	@mkdir -p $(LOCAL)
	$(PY) -m mgn_emulator $(EMULATOR_ARGS)

# The emulator's state file outlives `make down` and wins over the seed: remove it so the next start seeds afresh.
reset:
	@if [[ -f $(LOCAL)/emulator.pid ]] && kill -0 "$$(cat $(LOCAL)/emulator.pid)" 2>/dev/null; then \
	  echo "make reset: the emulator is running (pid $$(cat $(LOCAL)/emulator.pid)) and would write its state again: run make down first" >&2; exit 2; fi
	rm -f $(LOCAL)/emulator-state.json
	@echo "Emulator state removed: the next start uses stacks/local-seed.yaml."
