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

.PHONY: demo test install unit lint bench clean

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

test: install
	$(BIN)/python -m pytest tests -n auto $(PYTEST_ARGS)

unit: install
	$(BIN)/python -m pytest tests/unit $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) .build tests/output .pytest_cache
