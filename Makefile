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

.PHONY: demo test pytest install unit lint sanity molecule bench clean

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

# The whole suite: what CI runs (.ci/run).
test: install
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory molecule
	$(MAKE) --no-print-directory pytest

pytest: install
	$(BIN)/python -m pytest tests -n auto $(PYTEST_ARGS)

# Every gate Galaxy, Automation Hub and careful users apply.
lint: install
	ansible-lint roles/ playbooks/ extensions/
	antsibull-changelog lint
	rm -rf .build/ee && ansible-builder create -f meta/execution-environment.yml -c .build/ee >/dev/null
	$(MAKE) --no-print-directory sanity

sanity: install
	tools/ansible-test.sh sanity --venv --python 3.11
	tools/ansible-test.sh units --venv --python 3.11

molecule: install
	cd extensions && molecule test

# Fleet benchmark (not part of make test): up to 500 emulated phones, ours vs. uri playbook vs. raw Python.
# 100 phones x 3 repetitions plus the 50-500 curve fits in ~25 minutes on 2 cores; 500 x 3 takes over an hour.
BENCH_ARGS ?= --phones 100 --reps 3 --forks 50 --curve 50,100,200,500
$(BIN)/.bench-deps: requirements-bench.txt $(BIN)/.deps
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-bench.txt
	touch $@

bench: install $(BIN)/.bench-deps
	$(BIN)/python benchmarks/fleet.py $(BENCH_ARGS)

unit: install
	$(BIN)/python -m pytest tests/unit $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) .build tests/output .pytest_cache
